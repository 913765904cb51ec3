import { switchOrganization } from "@/lib/api/auth";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";

export const POST = handle(switchOrganization, async ({ body, principal }) => {
  const user = userOf(principal);
  const org = user.session.organizations.find((o) => o.id === body.organizationId);
  if (!org) throw new NotFoundError("Organization not found");
  await db().session.update({ where: { id: user.session.sessionId }, data: { activeOrganizationId: org.id } });
  return { status: 200, body: { organization: org } };
});
