import { removeClearSignDescriptor as removeContract } from "@/lib/api/clearsign";
import { recordAudit } from "@/lib/audit/record";
import { publicDescriptor, removeOverlayDescriptor } from "@/lib/clearsign/overlay-store";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const DELETE = handle(removeContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const removed = publicDescriptor(await removeOverlayDescriptor(tx, organizationId, params.id));
    await recordAudit(tx, {
      organizationId,
      actor: actorOf(principal),
      action: "clearsign.descriptor_removed",
      resourceType: "clearsign_descriptor",
      resourceId: removed.id,
      details: { owner: removed.owner, deployments: removed.deployments, functions: removed.functions.map((f) => f.signature) },
      context: ctx,
    });
  });
  return { status: 204, body: undefined };
});
