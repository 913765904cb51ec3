import { addMember, listMembers } from "@/lib/api/organizations";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, roleOf, userOf } from "@/lib/http/scope";
import { addMember as add, listMembers as list } from "@/lib/orgs/members";

export const GET = handle(listMembers, async ({ principal }) => ({ status: 200, body: await list(db(), orgOf(principal)) }));

export const POST = handle(addMember, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const result = await db().$transaction(async (tx) => {
    const r = await add(tx, { organizationId, actorRole: roleOf(principal), actorId: userOf(principal).userId, email: body.email, role: body.role });
    await recordAudit(tx, {
      organizationId,
      actor: actorOf(principal),
      action: r.member ? "member.added" : "member.invited",
      resourceType: r.member ? "membership" : "invitation",
      resourceId: r.member?.userId ?? r.invitation?.id,
      details: { email: body.email, role: body.role },
      context: ctx,
    });
    return r;
  });
  return { status: 201, body: result };
});
