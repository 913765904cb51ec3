import { policyHistory } from "@/lib/api/policy-documents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { listDocumentHistory } from "@/lib/policy/documents";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(policyHistory, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  return { status: 200, body: { versions: await listDocumentHistory(db(), s.id) } };
});
