import { dkgFinalize } from "@/lib/api/signers";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { finalizeDkg, publicSigner } from "@/lib/signing/signers";

export const POST = handle(dkgFinalize, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const { signer, apiKey } = await db().$transaction(async (tx) => {
    const r = await finalizeDkg(tx, { organizationId, ceremonyId: body.ceremonyId, publicKey: body.publicKey, createdById: userOf(principal).userId });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.activated", resourceType: "signer", resourceId: r.signer.id, details: { address: r.signer.address, apiKeyPrefix: r.apiKey.prefix }, context: ctx });
    return r;
  });
  return { status: 200, body: { signer: publicSigner(signer), apiKey }, headers: { "cache-control": "no-store" } };
});
