import { describe, expect, it } from "vitest";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { GET as listMembers, POST as addMember } from "@/app/api/v1/members/route";
import { PATCH as patchMember, DELETE as deleteMember } from "@/app/api/v1/members/[userId]/route";
import { DELETE as deleteInvitation } from "@/app/api/v1/invitations/[id]/route";
import { GET as listApiKeys, POST as createApiKey } from "@/app/api/v1/api-keys/route";
import { DELETE as revokeApiKey } from "@/app/api/v1/api-keys/[id]/route";
import { GET as listPasskeys } from "@/app/api/v1/passkeys/route";
import { PATCH as renamePasskey, DELETE as deletePasskey } from "@/app/api/v1/passkeys/[id]/route";
import { POST as switchOrg } from "@/app/api/v1/auth/switch-organization/route";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { GET as listOrgs } from "@/app/api/v1/organizations/route";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

/** Two tenants, each with data of every kind that exists so far; A must see and touch nothing of B. */
async function twoTenants() {
  const a = await makeUser();
  const b = await makeUser();
  const bKey = await makeApiKey(b.organizationId, ["audit:read", "org:read"]);
  const aKey = await makeApiKey(a.organizationId, ["audit:read", "org:read"]);
  await recordAudit(db(), { organizationId: b.organizationId, actor: { type: "system" }, action: "secret.b_event", resourceType: "x" });
  await recordAudit(db(), { organizationId: a.organizationId, actor: { type: "system" }, action: "a_event", resourceType: "x" });
  const bInvite = await db().invitation.create({ data: { organizationId: b.organizationId, email: "invitee@b.example", role: "viewer" } });
  const bPasskey = await db().passkey.create({ data: { userId: b.user.id, credentialId: `cred-${b.user.id}`, publicKey: Buffer.from([1]), deviceType: "singleDevice", backedUp: false, name: "B's key" } });
  const bMember = await makeUser({ organizationId: b.organizationId, role: "approver" });
  return { a, b, aKey, bKey, bInvite, bPasskey, bMember };
}

describe("organization scoping", () => {
  it("lists show only the caller's organization, for sessions and API keys alike", async () => {
    const { a, b, aKey } = await twoTenants();
    for (const auth of [{ cookie: a.cookie }, { apiKey: aKey.secret }]) {
      const log = await call(auditLog, "GET", "/api/v1/audit-log", auth);
      expect(log.status).toBe(200);
      expect(JSON.stringify(log.json)).not.toContain("secret.b_event");
      expect(log.json.items.map((i: { action: string }) => i.action)).toContain("a_event");
      const members = await call(listMembers, "GET", "/api/v1/members", auth);
      expect(members.json.members.map((m: { userId: string }) => m.userId)).toEqual([a.user.id]);
      expect(members.json.invitations).toEqual([]);
    }
    const keys = await call(listApiKeys, "GET", "/api/v1/api-keys", { cookie: a.cookie });
    expect(keys.json.apiKeys).toHaveLength(1);
    const passkeys = await call(listPasskeys, "GET", "/api/v1/passkeys", { cookie: a.cookie });
    expect(passkeys.json.passkeys).toEqual([]);
    const orgs = await call(listOrgs, "GET", "/api/v1/organizations", { cookie: a.cookie });
    expect(orgs.json.organizations.map((o: { id: string }) => o.id)).toEqual([a.organizationId]);
    expect(JSON.stringify((await call(me, "GET", "/api/v1/auth/me", { cookie: a.cookie })).json)).not.toContain(b.organizationId);
  });

  it("acting on another organization's resources answers 404 and changes nothing", async () => {
    const { a, b, bKey, bInvite, bPasskey, bMember } = await twoTenants();
    const cases = [
      await call(revokeApiKey, "DELETE", "/x", { cookie: a.cookie, params: { id: bKey.credential.id } }),
      await call(patchMember, "PATCH", "/x", { cookie: a.cookie, params: { userId: bMember.user.id }, body: { role: "admin" } }),
      await call(deleteMember, "DELETE", "/x", { cookie: a.cookie, params: { userId: b.user.id } }),
      await call(deleteInvitation, "DELETE", "/x", { cookie: a.cookie, params: { id: bInvite.id } }),
      await call(renamePasskey, "PATCH", "/x", { cookie: a.cookie, params: { id: bPasskey.id }, body: { name: "mine now" } }),
      await call(deletePasskey, "DELETE", "/x", { cookie: a.cookie, params: { id: bPasskey.id } }),
      await call(switchOrg, "POST", "/x", { cookie: a.cookie, body: { organizationId: b.organizationId } }),
    ];
    expect(cases.map((c) => c.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await db().credential.findUniqueOrThrow({ where: { id: bKey.credential.id } })).revokedAt).toBeNull();
    expect((await db().membership.findFirstOrThrow({ where: { userId: bMember.user.id } })).role).toBe("approver");
    expect(await db().invitation.count({ where: { id: bInvite.id } })).toBe(1);
    expect((await db().passkey.findUniqueOrThrow({ where: { id: bPasskey.id } })).name).toBe("B's key");
    // B's API key still works for B, and never for A's data
    const bLog = await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: bKey.secret });
    expect(JSON.stringify(bLog.json)).toContain("secret.b_event");
    expect(JSON.stringify(bLog.json)).not.toContain("a_event");
  });

  it("a member of both organizations sees the active one only, and switching changes it", async () => {
    const { a, b } = await twoTenants();
    await db().membership.create({ data: { organizationId: b.organizationId, userId: a.user.id, role: "viewer" } });
    const before = await call(auditLog, "GET", "/api/v1/audit-log", { cookie: a.cookie });
    expect(JSON.stringify(before.json)).not.toContain("secret.b_event");
    const sw = await call(switchOrg, "POST", "/x", { cookie: a.cookie, body: { organizationId: b.organizationId } });
    expect(sw.status).toBe(200);
    const after = await call(auditLog, "GET", "/api/v1/audit-log", { cookie: a.cookie });
    expect(JSON.stringify(after.json)).toContain("secret.b_event");
    // as a viewer in B, A cannot manage B's members or keys
    expect((await call(addMember, "POST", "/x", { cookie: a.cookie, body: { email: "x@y.z", role: "viewer" } })).status).toBe(403);
    expect((await call(createApiKey, "POST", "/x", { cookie: a.cookie, body: { name: "k", scopes: ["audit:read"] } })).status).toBe(403);
  });
});
