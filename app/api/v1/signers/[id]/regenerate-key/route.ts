import { regenerateKey } from "@/lib/api/signer-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { regenerateSignerKey } from "@/lib/signing/signer-admin";

export const POST = handle(regenerateKey, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const { apiKey } = await db().$transaction(async (tx) => {
    const r = await regenerateSignerKey(tx, organizationId, params.id, userOf(principal).userId);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.key_rotated", resourceType: "signer", resourceId: params.id, details: { prefix: r.apiKey.prefix, revoked: r.revoked }, context: ctx });
    return r;
  });
  return { status: 200, body: { apiKey }, headers: { "cache-control": "no-store" } };
});
