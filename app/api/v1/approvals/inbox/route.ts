import { listApprovalsInbox as contract } from "@/lib/api/approvals-inbox";
import { listInbox } from "@/lib/approvals/inbox";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ query, principal }) => {
  return { status: 200, body: { items: await listInbox(db(), orgOf(principal), query.limit ?? 100) } };
});
