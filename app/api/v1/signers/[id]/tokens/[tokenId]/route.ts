import { removeToken } from "@/lib/api/signer-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { getSigner } from "@/lib/signing/signers";

export const DELETE = handle(removeToken, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  await db().$transaction(async (tx) => {
    const r = await tx.trackedToken.deleteMany({ where: { id: params.tokenId, signerId: s.id } });
    if (r.count !== 1) throw new NotFoundError("Token not found");
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.token_removed", resourceType: "signer", resourceId: s.id, details: { tokenId: params.tokenId }, context: ctx });
  });
  return { status: 204, body: undefined };
});
