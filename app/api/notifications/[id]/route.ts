import { getNotification as contract } from "@/lib/api/approvals";
import { getNotificationDetail } from "@/lib/approvals/notifications";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ params, principal }) => {
  return { status: 200, body: await getNotificationDetail(db(), orgOf(principal), params.id) };
});
