import { getApprovalsInboxItem as contract } from "@/lib/api/approvals-inbox";
import { getInboxItem } from "@/lib/approvals/inbox";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ params, principal }) => {
  return { status: 200, body: { item: await getInboxItem(db(), orgOf(principal), params.notificationId) } };
});
