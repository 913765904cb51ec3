import { addClearSignDescriptor as addContract, listClearSignDescriptors as listContract } from "@/lib/api/clearsign";
import { recordAudit } from "@/lib/audit/record";
import { addOverlayDescriptor, listOverlayDescriptors, publicDescriptor } from "@/lib/clearsign/overlay-store";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(listContract, async ({ principal, query }) => {
  const rows = await listOverlayDescriptors(db(), orgOf(principal));
  return { status: 200, body: { descriptors: rows.map((r) => publicDescriptor(r, { withDescriptor: query.include === "descriptor" })) } };
});

export const POST = handle(addContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const row = await db().$transaction(async (tx) => {
    const created = await addOverlayDescriptor(tx, { organizationId, descriptor: body.descriptor, createdById: principal.type === "user" ? principal.userId : null });
    const summary = publicDescriptor(created);
    await recordAudit(tx, {
      organizationId,
      actor: actorOf(principal),
      action: "clearsign.descriptor_added",
      resourceType: "clearsign_descriptor",
      resourceId: created.id,
      details: { owner: summary.owner, deployments: summary.deployments, functions: summary.functions.map((f) => f.signature) },
      context: ctx,
    });
    return created;
  });
  return { status: 201, body: { descriptor: publicDescriptor(row, { withDescriptor: true }) } };
});
