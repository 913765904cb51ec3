import { listNotifications as contract } from "@/lib/api/approvals";
import { listNotifications } from "@/lib/approvals/notifications";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ query, principal }) => {
  return { status: 200, body: await listNotifications(db(), orgOf(principal), query.deviceId) };
});
