import { listDevices as listContract, registerDevice as registerContract } from "@/lib/api/devices";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { listDevices, publicDevice, registerDevice } from "@/lib/push/devices";

export const POST = handle(registerContract, async ({ body, principal, ctx, req }) => {
  const organizationId = orgOf(principal);
  const { userId } = userOf(principal);
  const device = await db().$transaction(async (tx) => {
    const d = await registerDevice(tx, { organizationId, userId, userAgent: req.headers.get("user-agent"), body });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "device.registered", resourceType: "device", resourceId: d.id, details: { name: d.name, executionMode: d.executionMode }, context: ctx });
    return d;
  });
  return { status: 201, body: publicDevice(device) };
});

export const GET = handle(listContract, async ({ principal }) => {
  return { status: 200, body: (await listDevices(db(), orgOf(principal))).map(publicDevice) };
});
