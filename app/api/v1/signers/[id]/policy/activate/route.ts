import { activatePolicy } from "@/lib/api/policy-documents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { activateDraft } from "@/lib/policy/documents";
import { getSigner } from "@/lib/signing/signers";

export const POST = handle(activatePolicy, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const userId = principal.type === "user" ? principal.userId : null;
  const policy = await activateDraft(db(), { organizationId, signerId: s.id, userId, actor: actorOf(principal), context: ctx, expect: body });
  return { status: 200, body: { policy } };
});
