import { sendTestPush as contract } from "@/lib/api/push";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { sendTestNotification } from "@/lib/push/test-notification";

export const POST = handle(contract, async ({ body, principal }) => {
  const deliveries = await sendTestNotification(db(), { organizationId: orgOf(principal), deviceId: body.deviceId });
  return { status: 200, body: { deliveries } };
});
