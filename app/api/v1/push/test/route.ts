import { sendTestPush as contract } from "@/lib/api/push";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf, userOf } from "@/lib/http/scope";
import { sendTestNotification } from "@/lib/push/test-notification";

export const POST = handle(contract, async ({ body, principal }) => {
  const { userId } = userOf(principal);
  const deliveries = await sendTestNotification(db(), { organizationId: orgOf(principal), userId, deviceId: body.deviceId });
  return { status: 200, body: { deliveries } };
});
