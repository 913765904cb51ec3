import { createApiKey, listApiKeys } from "@/lib/api/organizations";
import { issueCredential, publicCredential } from "@/lib/auth/credentials";
import { API_KEY_SCOPES, type Permission } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { BadRequestError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";

export const GET = handle(listApiKeys, async ({ principal }) => {
  const rows = await db().credential.findMany({ where: { organizationId: orgOf(principal), kind: "organization_key" }, orderBy: { createdAt: "desc" } });
  return { status: 200, body: { apiKeys: rows.map(publicCredential) } };
});

export const POST = handle(createApiKey, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const unknown = body.scopes.filter((s) => !API_KEY_SCOPES.includes(s as Permission));
  if (unknown.length) throw new BadRequestError(`Unknown scope(s): ${unknown.join(", ")}`, unknown.map((s) => ({ field: "body.scopes", message: `Unknown scope "${s}"` })));
  const { credential, secret } = await db().$transaction(async (tx) => {
    const issued = await issueCredential(tx, {
      organizationId,
      kind: "organization_key",
      name: body.name,
      scopes: [...new Set(body.scopes)],
      createdById: userOf(principal).userId,
      expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : undefined,
    });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "api_key.created", resourceType: "credential", resourceId: issued.credential.id, details: { name: body.name, prefix: issued.credential.prefix, scopes: body.scopes }, context: ctx });
    return issued;
  });
  return { status: 201, body: { apiKey: publicCredential(credential), secret }, headers: { "cache-control": "no-store" } };
});
