import { dkgFinalize } from "@/lib/api/signers";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { finalizeDkg, PUBLIC_KEY_MISMATCH, publicSigner } from "@/lib/signing/signers";

export const POST = handle(dkgFinalize, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const actor = actorOf(principal);
  const r = await db().$transaction(async (tx) => {
    const r = await finalizeDkg(tx, { organizationId, ceremonyId: body.ceremonyId, publicKey: body.publicKey, createdById: userOf(principal).userId });
    if (r.kind === "activated") {
      await recordAudit(tx, { organizationId, actor, action: "signer.activated", resourceType: "signer", resourceId: r.signer.id, details: { address: r.signer.address, apiKeyPrefix: r.apiKey.prefix, agentParty: "browser" }, context: ctx });
    } else if (r.kind === "confirmed") {
      await recordAudit(tx, { organizationId, actor, action: "signer.user_confirmed", resourceType: "signer", resourceId: r.signer.id, details: { ceremonyId: body.ceremonyId, address: r.signer.address, agentConfirmed: r.agentConfirmed }, context: ctx });
      if (r.activated) await recordAudit(tx, { organizationId, actor, action: "signer.activated", resourceType: "signer", resourceId: r.signer.id, details: { address: r.signer.address, agentParty: "remote" }, context: ctx });
    }
    return r;
  });
  // A mismatch marks the signer failed; that is committed before the 409.
  if (r.kind === "mismatch") throw new ConflictError(PUBLIC_KEY_MISMATCH);
  if (r.kind === "activated") return { status: 200, body: { signer: publicSigner(r.signer), apiKey: r.apiKey }, headers: { "cache-control": "no-store" } };
  return { status: 200, body: { signer: publicSigner(r.signer), apiKey: null, agent: { confirmed: r.agentConfirmed } }, headers: { "cache-control": "no-store" } };
});
