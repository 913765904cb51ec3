import { getSigner as contract } from "@/lib/api/signers";
import { deleteSigner as deleteContract, updateSigner as updateContract } from "@/lib/api/signer-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { deleteSigner, updateSigner } from "@/lib/signing/signer-admin";
import { getSigner, publicSigner } from "@/lib/signing/signers";

export const GET = handle(contract, async ({ params, principal }) => ({
  status: 200,
  body: { signer: publicSigner(await getSigner(db(), orgOf(principal), params.id)) },
}));

export const PATCH = handle(updateContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const signer = await db().$transaction(async (tx) => {
    const s = await updateSigner(tx, organizationId, params.id, body);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.updated", resourceType: "signer", resourceId: s.id, details: body, context: ctx });
    return s;
  });
  return { status: 200, body: { signer: publicSigner(signer) } };
});

export const DELETE = handle(deleteContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const s = await deleteSigner(tx, organizationId, params.id);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.deleted", resourceType: "signer", resourceId: s.id, details: { address: s.address }, context: ctx });
  });
  return { status: 204, body: undefined };
});
