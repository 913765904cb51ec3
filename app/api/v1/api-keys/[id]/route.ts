import { revokeApiKey } from "@/lib/api/organizations";
import { revokeCredential } from "@/lib/auth/credentials";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const DELETE = handle(revokeApiKey, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const existing = await tx.credential.findFirst({ where: { id: params.id, organizationId, kind: "organization_key" } });
    if (!existing) throw new NotFoundError("API key not found");
    const row = await revokeCredential(tx, organizationId, params.id);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "api_key.revoked", resourceType: "credential", resourceId: row.id, details: { prefix: row.prefix }, context: ctx });
  });
  return { status: 204, body: undefined };
});
