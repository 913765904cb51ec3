import { deleteInvitation } from "@/lib/api/organizations";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const DELETE = handle(deleteInvitation, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const r = await tx.invitation.deleteMany({ where: { id: params.id, organizationId, acceptedAt: null } });
    if (r.count !== 1) throw new NotFoundError("Invitation not found");
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "member.invitation_withdrawn", resourceType: "invitation", resourceId: params.id, context: ctx });
  });
  return { status: 204, body: undefined };
});
