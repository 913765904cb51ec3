import { getActivePolicy, replaceActivePolicy } from "@/lib/api/policy-documents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { getActiveDocument, replaceActiveDocument, validateRulesDocument } from "@/lib/policy/documents";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(getActivePolicy, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  return { status: 200, body: { policy: await getActiveDocument(db(), s.id) } };
});

export const PUT = handle(replaceActivePolicy, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const document = validateRulesDocument(body);
  const userId = principal.type === "user" ? principal.userId : null;
  const policy = await replaceActiveDocument(db(), { organizationId, signerId: s.id, userId, actor: actorOf(principal), context: ctx, document });
  return { status: 200, body: { policy } };
});
