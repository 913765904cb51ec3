import { deleteDevice as deleteContract } from "@/lib/api/devices";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { deleteDevice } from "@/lib/push/devices";

export const DELETE = handle(deleteContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const { userId, role } = userOf(principal);
    const d = await deleteDevice(tx, organizationId, params.id, { userId, role });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "device.removed", resourceType: "device", resourceId: d.id, details: { name: d.name, ownerId: d.userId, ownDevice: d.userId === userId }, context: ctx });
  });
  return { status: 204, body: undefined };
});
