import { getDraftPolicy, saveDraftPolicy } from "@/lib/api/policy-documents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { getDraftDocument, saveDraft, validateRulesDocument } from "@/lib/policy/documents";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(getDraftPolicy, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  return { status: 200, body: { draft: await getDraftDocument(db(), s.id) } };
});

export const PUT = handle(saveDraftPolicy, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const document = validateRulesDocument(body);
  const userId = principal.type === "user" ? principal.userId : null;
  const draft = await saveDraft(db(), { organizationId, signerId: s.id, userId, actor: actorOf(principal), context: ctx, document });
  return { status: 200, body: { draft } };
});
