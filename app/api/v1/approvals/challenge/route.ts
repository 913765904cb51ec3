import { createApprovalChallenge as contract } from "@/lib/api/approvals";
import { createApprovalChallenge } from "@/lib/approvals/binding";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf, userOf } from "@/lib/http/scope";

export const POST = handle(contract, async ({ body, principal }) => {
  const c = await createApprovalChallenge(db(), { organizationId: orgOf(principal), userId: userOf(principal).userId, subject: body });
  return { status: 200, body: c };
});
