import { createOrganization, listOrganizations } from "@/lib/api/organizations";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { userOf } from "@/lib/http/scope";
import { createOrganization as create } from "@/lib/orgs/organizations";

export const GET = handle(listOrganizations, async ({ principal }) => ({ status: 200, body: { organizations: userOf(principal).session.organizations } }));

export const POST = handle(createOrganization, async ({ body, principal, ctx }) => {
  const user = userOf(principal);
  const org = await db().$transaction(async (tx) => {
    const org = await create(tx, { name: body.name, ownerId: user.userId });
    await recordAudit(tx, { organizationId: org.id, actor: actorOf(principal), action: "organization.created", resourceType: "organization", resourceId: org.id, details: { name: org.name }, context: ctx });
    return org;
  });
  return { status: 201, body: { organization: { id: org.id, name: org.name, role: "owner" as const } } };
});
