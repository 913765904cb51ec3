import { removeContract } from "@/lib/api/chain";
import { removeKnownContract } from "@/lib/chain/known-contracts";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const DELETE = handle(removeContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const c = await removeKnownContract(tx, organizationId, params.id);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "contract.removed", resourceType: "contract", resourceId: c.id, details: { chainId: c.chainId, address: c.address }, context: ctx });
  });
  return { status: 204, body: undefined };
});
