import { addContract, listContracts } from "@/lib/api/chain";
import { addKnownContract, listKnownContracts } from "@/lib/chain/known-contracts";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(listContracts, async ({ query, principal }) => ({
  status: 200,
  body: { contracts: await listKnownContracts(db(), orgOf(principal), query.chainId) },
}));

export const POST = handle(addContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const contract = await db().$transaction(async (tx) => {
    const c = await addKnownContract(tx, organizationId, principal.type === "user" ? principal.userId : null, body);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "contract.added", resourceType: "contract", resourceId: c.id, details: { chainId: c.chainId, address: c.address, name: c.name }, context: ctx });
    return c;
  });
  return { status: 201, body: { contract } };
});
