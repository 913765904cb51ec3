import { backtestPolicy } from "@/lib/api/policy-documents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { backtestSigner, validateRulesDocument } from "@/lib/policy/documents";
import { getSigner } from "@/lib/signing/signers";

export const POST = handle(backtestPolicy, async ({ params, body, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  const document = body.document === undefined ? undefined : validateRulesDocument(body.document, "body.document");
  return { status: 200, body: await backtestSigner(db(), { signerId: s.id, document }) };
});
