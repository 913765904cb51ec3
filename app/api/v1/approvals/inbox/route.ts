import { listApprovalsInbox as contract } from "@/lib/api/approvals-inbox";
import { listInbox } from "@/lib/approvals/inbox";
import { db } from "@/lib/db/client";
import { listChecks } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ query, principal }) => {
  const organizationId = orgOf(principal);
  const [items, toolCalls] = await Promise.all([listInbox(db(), organizationId, query.limit ?? 100), listChecks(db(), organizationId, { decision: "pending", limit: query.limit ?? 100 })]);
  return { status: 200, body: { items, toolCalls } };
});
