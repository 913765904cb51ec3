import { pauseSigner } from "@/lib/api/signer-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { setPaused } from "@/lib/signing/signer-admin";
import { publicSigner } from "@/lib/signing/signers";

export const POST = handle(pauseSigner, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const signer = await db().$transaction(async (tx) => {
    const s = await setPaused(tx, organizationId, params.id, true);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.paused", resourceType: "signer", resourceId: s.id, context: ctx });
    return s;
  });
  return { status: 200, body: { signer: publicSigner(signer) } };
});
