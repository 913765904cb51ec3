/**
 * SCIM 2.0 at /scim/v2 (issue #18) through the route handlers: RFC 7643/7644 shapes (checked with
 * zod schemas written from the RFC, independent of the app's contracts), the request sequences Okta
 * and Entra ID send, what a SCIM User means for the organization (C14: membership, invitation,
 * suspension, the last owner), ETags, errors in RFC 7644 §3.12 form, and who may call what.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as Users from "@/app/scim/v2/Users/route";
import * as User from "@/app/scim/v2/Users/[id]/route";
import * as UsersSearch from "@/app/scim/v2/Users/.search/route";
import * as Groups from "@/app/scim/v2/Groups/route";
import * as Group from "@/app/scim/v2/Groups/[id]/route";
import * as Search from "@/app/scim/v2/.search/route";
import * as Spc from "@/app/scim/v2/ServiceProviderConfig/route";
import * as ResourceTypes from "@/app/scim/v2/ResourceTypes/route";
import * as ResourceType from "@/app/scim/v2/ResourceTypes/[id]/route";
import * as Schemas from "@/app/scim/v2/Schemas/route";
import * as SchemaOne from "@/app/scim/v2/Schemas/[id]/route";
import * as Tokens from "@/app/api/v1/scim/tokens/route";
import * as Token from "@/app/api/v1/scim/tokens/[id]/route";
import * as GroupRole from "@/app/api/v1/scim/groups/[id]/role/route";
import * as GroupMappings from "@/app/api/v1/scim/groups/route";
import * as Members from "@/app/api/v1/members/route";
import { acceptInvitations } from "@/lib/orgs/organizations";
import { issueCredential } from "@/lib/auth/credentials";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser, type CallOptions } from "../helpers/http";

useTestDatabase();

// --- RFC shapes -------------------------------------------------------------------------------------
const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENT_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const rfcMeta = z.object({ resourceType: z.enum(["User", "Group"]), created: z.iso.datetime(), lastModified: z.iso.datetime(), location: z.url(), version: z.string().regex(/^W\/".+"$/) });
const rfcUser = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(USER_URN)),
  id: z.uuid(),
  userName: z.string().min(1),
  active: z.boolean(),
  emails: z.array(z.object({ value: z.string(), type: z.string().optional(), primary: z.boolean().optional() })).optional(),
  groups: z.array(z.object({ value: z.string(), $ref: z.url(), display: z.string() })).optional(),
  meta: rfcMeta,
});
const rfcGroup = z.object({ schemas: z.tuple([z.literal(GROUP_URN)]), id: z.uuid(), displayName: z.string(), members: z.array(z.object({ value: z.uuid(), $ref: z.url(), display: z.string() })).optional(), meta: rfcMeta });
const rfcList = z.object({ schemas: z.tuple([z.literal("urn:ietf:params:scim:api:messages:2.0:ListResponse")]), totalResults: z.int().min(0), startIndex: z.int().min(1), itemsPerPage: z.int().min(0), Resources: z.array(z.unknown()) });
const rfcError = z.strictObject({ schemas: z.tuple([z.literal(ERROR_URN)]), status: z.string().regex(/^\d{3}$/), scimType: z.string().optional(), detail: z.string() });

type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;
async function scim(token: string, handler: Handler, method: string, path: string, opts: CallOptions = {}) {
  const headers = { authorization: `Bearer ${token}`, ...(opts.body !== undefined ? { "content-type": "application/scim+json" } : {}), ...opts.headers };
  const r = await call(handler, method, `/scim/v2${path}`, { ...opts, headers });
  if (r.status >= 400) {
    expect(rfcError.parse(r.json).status).toBe(String(r.status));
    expect(r.headers.get("content-type")).toContain("application/scim+json");
  } else if (r.status !== 204) expect(r.headers.get("content-type")).toContain("application/scim+json");
  return r;
}

async function setup() {
  const owner = await makeUser();
  const { secret } = await issueCredential(db(), { organizationId: owner.organizationId, kind: "scim_token", name: "idp", scopes: ["scim"] });
  const t = secret;
  return {
    owner,
    org: owner.organizationId,
    token: t,
    createUser: (body: object) => scim(t, Users.POST, "POST", "/Users", { body }),
    listUsers: (query: Record<string, string>) => scim(t, Users.GET, "GET", "/Users", { query }),
    getUser: (id: string, query?: Record<string, string>) => scim(t, User.GET, "GET", `/Users/${id}`, { params: { id }, query }),
    patchUser: (id: string, Operations: object[], headers?: Record<string, string>) => scim(t, User.PATCH, "PATCH", `/Users/${id}`, { params: { id }, body: { schemas: [PATCH_URN], Operations }, headers }),
    putUser: (id: string, body: object, headers?: Record<string, string>) => scim(t, User.PUT, "PUT", `/Users/${id}`, { params: { id }, body, headers }),
    deleteUser: (id: string, headers?: Record<string, string>) => scim(t, User.DELETE, "DELETE", `/Users/${id}`, { params: { id }, headers }),
    createGroup: (body: object) => scim(t, Groups.POST, "POST", "/Groups", { body }),
    patchGroup: (id: string, Operations: object[]) => scim(t, Group.PATCH, "PATCH", `/Groups/${id}`, { params: { id }, body: { schemas: [PATCH_URN], Operations } }),
    getGroup: (id: string, query?: Record<string, string>) => scim(t, Group.GET, "GET", `/Groups/${id}`, { params: { id }, query }),
  };
}

const membershipOf = (organizationId: string, email: string) => db().membership.findFirst({ where: { organizationId, user: { email } } });

describe("discovery", () => {
  it("ServiceProviderConfig, ResourceTypes and Schemas describe what is supported", async () => {
    const { token } = await setup();
    const spc = await scim(token, Spc.GET, "GET", "/ServiceProviderConfig");
    expect(spc.json).toMatchObject({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 200 }, sort: { supported: true }, etag: { supported: true }, changePassword: { supported: false } });
    expect(spc.json.authenticationSchemes[0].type).toBe("oauthbearertoken");
    const types = await scim(token, ResourceTypes.GET, "GET", "/ResourceTypes");
    expect(rfcList.parse(types.json).totalResults).toBe(2);
    expect(types.json.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(["/Users", "/Groups"]);
    expect(types.json.Resources[0].schemaExtensions).toEqual([{ schema: ENT_URN, required: false }]);
    const schemas = await scim(token, Schemas.GET, "GET", "/Schemas");
    expect(schemas.json.Resources.map((s: { id: string }) => s.id)).toEqual([USER_URN, GROUP_URN, ENT_URN]);
    const user = (await scim(token, SchemaOne.GET, "GET", `/Schemas/${USER_URN}`, { params: { id: USER_URN } })).json;
    expect(user.attributes.find((a: { name: string }) => a.name === "userName")).toMatchObject({ required: true, uniqueness: "server", caseExact: false });
    expect((await scim(token, ResourceType.GET, "GET", "/ResourceTypes/Group", { params: { id: "Group" } })).json.schema).toBe(GROUP_URN);
    expect((await scim(token, ResourceType.GET, "GET", "/ResourceTypes/Nope", { params: { id: "Nope" } })).status).toBe(404);
  });
});

describe("Okta's sequence (Okta SCIM 2.0 integration guide)", () => {
  it("looks the user up, creates, reads, updates, deactivates and reactivates; groups push with members", async () => {
    const s = await setup();
    const email = `okta-${Date.now()}@acme.com`;
    // 1. Does the user exist?
    const lookup = await s.listUsers({ filter: `userName eq "${email}"`, startIndex: "1", count: "100" });
    expect(rfcList.parse(lookup.json)).toMatchObject({ totalResults: 0, Resources: [] });
    // 2. Create.
    const created = await s.createUser({
      schemas: [USER_URN],
      userName: email,
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ primary: true, value: email, type: "work" }],
      displayName: "Ada Lovelace",
      locale: "en-US",
      externalId: "00u1",
      groups: [],
      password: "ignored-1!",
      active: true,
    });
    expect(created.status).toBe(201);
    const u = rfcUser.parse(created.json);
    expect(created.headers.get("location")).toBe(u.meta.location);
    expect(created.headers.get("etag")).toBe(u.meta.version);
    expect(created.json).not.toHaveProperty("password");
    // A person without an account: an invitation as viewer, and the mail in the development outbox.
    const inv = await db().invitation.findUnique({ where: { organizationId_email: { organizationId: s.org, email } } });
    expect(inv).toMatchObject({ role: "viewer", acceptedAt: null });
    expect(await db().outboxMessage.count({ where: { to: email } })).toBe(1);
    // 3. Found by filter now, and by id.
    const found = await s.listUsers({ filter: `userName eq "${email.toUpperCase()}"` });
    expect(found.json.totalResults).toBe(1);
    expect(rfcUser.parse(found.json.Resources[0]).id).toBe(u.id);
    expect((await s.getUser(u.id)).json.name).toEqual({ givenName: "Ada", familyName: "Lovelace" });
    // 4. Okta's group push: a group named after a role, then members added.
    const group = await s.createGroup({ schemas: [GROUP_URN], displayName: "approver", members: [] });
    expect(group.status).toBe(201);
    const g = rfcGroup.parse(group.json);
    const added = await s.patchGroup(g.id, [{ op: "add", path: "members", value: [{ value: u.id, display: email }] }]);
    expect(added.status).toBe(200);
    expect(added.json.members).toEqual([{ value: u.id, $ref: expect.stringContaining(`/Users/${u.id}`), display: "Ada Lovelace" }]);
    expect((await db().invitation.findUnique({ where: { id: inv!.id } }))?.role).toBe("approver");
    expect((await s.getUser(u.id)).json.groups).toEqual([{ value: g.id, $ref: expect.stringContaining(`/Groups/${g.id}`), display: "approver" }]);
    // Okta renames with a pathless replace carrying the id.
    const renamed = await s.patchGroup(g.id, [{ op: "replace", value: { id: g.id, displayName: "admin" } }]);
    expect(renamed.json.displayName).toBe("admin");
    expect((await db().invitation.findUnique({ where: { id: inv!.id } }))?.role).toBe("admin");
    // Okta removes a member with a value filter in the path.
    const removed = await s.patchGroup(g.id, [{ op: "remove", path: `members[value eq "${u.id}"]` }]);
    expect(removed.json.members ?? []).toEqual([]);
    expect((await db().invitation.findUnique({ where: { id: inv!.id } }))?.role).toBe("viewer");
    // 5. Profile update by PUT (Okta replaces the whole user).
    const put = await s.putUser(u.id, { schemas: [USER_URN], id: u.id, userName: email, name: { givenName: "Augusta", familyName: "King" }, emails: [{ primary: true, value: email, type: "work" }], active: true });
    expect(put.status).toBe(200);
    expect(put.json.name).toEqual({ givenName: "Augusta", familyName: "King" });
    expect(put.json.displayName).toBeUndefined();
    // 6. Deactivate: the invitation goes; reactivate: it comes back.
    const off = await s.patchUser(u.id, [{ op: "replace", value: { active: false } }]);
    expect(off.json.active).toBe(false);
    expect(await db().invitation.count({ where: { organizationId: s.org, email, acceptedAt: null } })).toBe(0);
    const on = await s.patchUser(u.id, [{ op: "replace", value: { active: true } }]);
    expect(on.json.active).toBe(true);
    expect(await db().invitation.count({ where: { organizationId: s.org, email, acceptedAt: null } })).toBe(1);
  });
});

describe("Entra ID's sequence (Microsoft Entra SCIM provisioning guide)", () => {
  it("creates with the enterprise extension, patches with capitalised ops and string booleans, manages group members in value lists", async () => {
    const s = await setup();
    const target = await makeUser({ organizationId: s.org, role: "viewer" });
    const email = target.user.email!;
    expect((await s.listUsers({ filter: `userName eq "${email}"` })).json.totalResults).toBe(0);
    const created = await s.createUser({
      schemas: [USER_URN, ENT_URN],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: email,
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      meta: { resourceType: "User" },
      name: { formatted: "Test User", familyName: "User", givenName: "Test" },
      roles: [],
      [ENT_URN]: { department: "Treasury", manager: { value: "mgr-1" } },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json.schemas).toEqual([USER_URN, ENT_URN]);
    expect(created.json[ENT_URN]).toEqual({ department: "Treasury", manager: { value: "mgr-1" } });
    // An existing verified member: the membership itself is managed (viewer without groups).
    expect((await membershipOf(s.org, email))?.role).toBe("viewer");
    // Entra's attribute updates.
    const patched = await s.patchUser(id, [
      { op: "Replace", path: "emails[type eq \"work\"].value", value: email },
      { op: "Replace", path: "name.givenName", value: "Tess" },
      { op: "Add", path: "title", value: "Treasurer" },
      { op: "Replace", path: `${ENT_URN}:department`, value: "Finance" },
      { op: "Remove", path: `${ENT_URN}:manager` },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: { givenName: "Tess", familyName: "User" }, title: "Treasurer", [ENT_URN]: { department: "Finance" } });
    expect(patched.json[ENT_URN].manager).toBeUndefined();
    // Groups: create empty, then add and remove members with value lists.
    const group = await s.createGroup({ schemas: [GROUP_URN], externalId: "e-g1", displayName: "Treasury Approvers", members: [] });
    const gid = group.json.id as string;
    expect((await scim(s.token, Groups.GET, "GET", "/Groups", { query: { filter: 'displayName eq "Treasury Approvers"', excludedAttributes: "members" } })).json.Resources).toEqual([
      expect.not.objectContaining({ members: expect.anything() }),
    ]);
    await s.patchGroup(gid, [{ op: "Add", path: "members", value: [{ value: id }] }]);
    // A custom group grants nothing until the owner maps it (Settings → Provisioning).
    expect((await membershipOf(s.org, email))?.role).toBe("viewer");
    const mapped = await call(GroupRole.PUT, "PUT", `/api/v1/scim/groups/${gid}/role`, { cookie: s.owner.cookie, params: { id: gid }, body: { role: "approver" } });
    expect(mapped.status).toBe(200);
    expect(mapped.json.group).toMatchObject({ role: "approver", byName: false, members: 1 });
    expect((await membershipOf(s.org, email))?.role).toBe("approver");
    await s.patchGroup(gid, [{ op: "Remove", path: "members", value: [{ value: id }] }]);
    expect((await membershipOf(s.org, email))?.role).toBe("viewer");
    // Entra deactivates with a string boolean: the membership is suspended and its sessions end at once.
    const off = await s.patchUser(id, [{ op: "Replace", path: "active", value: "False" }]);
    expect(off.json.active).toBe(false);
    expect(await membershipOf(s.org, email)).toBeNull();
    expect((await db().session.findUnique({ where: { id: target.session.id } }))?.revokedAt).not.toBeNull();
    const members = await call(Members.GET, "GET", "/api/v1/members", { cookie: target.cookie });
    expect(members.status).toBe(401);
    // Reactivated: a member again (a new sign-in is needed).
    await s.patchUser(id, [{ op: "Replace", path: "active", value: "True" }]);
    expect((await membershipOf(s.org, email))?.role).toBe("viewer");
    // DELETE removes the membership and the SCIM user.
    expect((await s.deleteUser(id)).status).toBe(204);
    expect(await membershipOf(s.org, email)).toBeNull();
    expect((await s.getUser(id)).status).toBe(404);
    const audit = await db().auditEvent.findMany({ where: { organizationId: s.org }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["scim.user.created", "scim.user.updated", "scim.user.deactivated", "scim.user.deleted", "scim.group.created", "scim.group.role_mapped", "member.role_changed", "member.removed", "member.added"]));
  });
});

describe("a provisioned person signs up", () => {
  it("the invitation becomes the membership with the role of the user's groups", async () => {
    const s = await setup();
    const email = `new-${Date.now()}@acme.com`;
    const u = await s.createUser({ schemas: [USER_URN], userName: email });
    await s.createGroup({ schemas: [GROUP_URN], displayName: "Admin", members: [{ value: u.json.id }] });
    const person = await db().user.create({ data: { email, emailVerifiedAt: new Date() } });
    await acceptInvitations(db(), { id: person.id, email });
    expect((await membershipOf(s.org, email))?.role).toBe("admin");
  });
});

describe("the last owner", () => {
  it("cannot be deprovisioned, deactivated or demoted: 409 in RFC 7644 form", async () => {
    const s = await setup();
    const ownerEmail = s.owner.user.email!;
    // Linking the owner's own account keeps their role until a group says otherwise.
    const u = await s.createUser({ schemas: [USER_URN], userName: ownerEmail });
    expect(u.status).toBe(201);
    expect((await membershipOf(s.org, ownerEmail))?.role).toBe("owner");
    const row = { id: u.json.id as string };
    // A group that would make the only owner an admin is refused, and nothing of it is written.
    const demote = await s.createGroup({ schemas: [GROUP_URN], displayName: "admin", members: [{ value: row.id }] });
    expect([demote.status, demote.json.status]).toEqual([409, "409"]);
    expect(await db().scimGroup.count({ where: { organizationId: s.org } })).toBe(0);
    const g = await s.createGroup({ schemas: [GROUP_URN], displayName: "owner" });
    expect((await s.patchGroup(g.json.id, [{ op: "add", path: "members", value: [{ value: row.id }] }])).status).toBe(200);
    expect((await membershipOf(s.org, ownerEmail))?.role).toBe("owner");
    const del = await s.deleteUser(row.id);
    expect(del.status).toBe(409);
    expect((await s.patchUser(row.id, [{ op: "replace", path: "active", value: false }])).status).toBe(409);
    // Out of every group, the person is back at the role they had when linked (owner), never below.
    expect((await s.patchGroup(g.json.id, [{ op: "remove", path: "members" }])).status).toBe(200);
    expect((await membershipOf(s.org, ownerEmail))?.role).toBe("owner");
    expect((await s.createGroup({ schemas: [GROUP_URN], displayName: "viewer", members: [{ value: row.id }] })).status).toBe(409);
  });
});

describe("lists", () => {
  it("filter, sort, page and project; POST /.search does the same from a body", async () => {
    const s = await setup();
    for (const n of ["c", "a", "b", "d"]) await s.createUser({ schemas: [USER_URN], userName: `${n}-${Date.now()}@acme.com`, title: n === "d" ? null : "T" });
    const page = await s.listUsers({ sortBy: "userName", sortOrder: "descending", startIndex: "2", count: "2", attributes: "userName" });
    expect(page.json).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(page.json.Resources.map((r: { userName: string }) => r.userName[0])).toEqual(["c", "b"]);
    expect(Object.keys(page.json.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
    const excluded = await s.listUsers({ filter: "title pr", excludedAttributes: "emails,meta,name" });
    expect(excluded.json.totalResults).toBe(3);
    expect(excluded.json.Resources[0]).not.toHaveProperty("meta");
    expect(excluded.json.Resources[0]).toHaveProperty("userName");
    const zero = await s.listUsers({ count: "0" });
    expect(zero.json).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const searched = await scim(s.token, UsersSearch.POST, "POST", "/Users/.search", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName sw "a"', attributes: ["userName"] } });
    expect(searched.json.totalResults).toBe(1);
    await s.createGroup({ schemas: [GROUP_URN], displayName: "a-team" });
    const both = await scim(s.token, Search.POST, "POST", "/.search", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 10 } });
    expect(both.json.totalResults).toBe(5);
    expect(both.json.Resources.map((r: { schemas: string[] }) => r.schemas[0])).toEqual([USER_URN, USER_URN, USER_URN, USER_URN, GROUP_URN]);
    const onlyGroups = await scim(s.token, Search.POST, "POST", "/.search", { body: { filter: 'displayName eq "a-team"' } });
    expect(onlyGroups.json.totalResults).toBe(1);
    const bad = await s.listUsers({ filter: 'userName eq "x" and' });
    expect(bad.status).toBe(400);
    expect(bad.json.scimType).toBe("invalidFilter");
  });
});

describe("ETags", () => {
  it("If-Match with a stale version is 412; two PATCHes sent with the same ETag: exactly one wins", async () => {
    const s = await setup();
    const u = await s.createUser({ schemas: [USER_URN], userName: `etag-${Date.now()}@acme.com` });
    const etag = u.headers.get("etag")!;
    expect((await s.getUser(u.json.id)).headers.get("etag")).toBe(etag);
    const results = await Promise.all(["One", "Two"].map((v) => s.patchUser(u.json.id, [{ op: "replace", path: "displayName", value: v }], { "if-match": etag })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const after = await s.getUser(u.json.id);
    expect(after.json.meta.version).not.toBe(etag);
    expect((await s.putUser(u.json.id, { userName: after.json.userName }, { "if-match": etag })).status).toBe(412);
    expect((await s.deleteUser(u.json.id, { "if-match": etag })).status).toBe(412);
    expect((await s.patchUser(u.json.id, [{ op: "replace", path: "title", value: "x" }], { "if-match": after.json.meta.version })).status).toBe(200);
    expect((await s.deleteUser(u.json.id, { "if-match": "*" })).status).toBe(204);
  });
});

describe("errors in RFC 7644 §3.12 form", () => {
  it("uniqueness, mutability, invalidPath, invalidValue, invalidSyntax, noTarget, tooMany, 404", async () => {
    const s = await setup();
    const email = `err-${Date.now()}@acme.com`;
    const u = await s.createUser({ schemas: [USER_URN], userName: email });
    const dup = await s.createUser({ schemas: [USER_URN], userName: email.toUpperCase() });
    expect([dup.status, dup.json.scimType]).toEqual([409, "uniqueness"]);
    const id = u.json.id as string;
    const cases: [object[], string][] = [
      [[{ op: "replace", path: "id", value: "x" }], "mutability"],
      [[{ op: "add", path: "groups", value: [{ value: "x" }] }], "mutability"],
      [[{ op: "replace", path: "emails[type eq", value: "x" }], "invalidPath"],
      [[{ op: "replace", path: "emails.value", value: "x@y.z" }], "invalidPath"],
      [[{ op: "replace", path: "emails[type eq \"home\" or type eq \"x\"].value", value: "x@y.z" }], "noTarget"],
      [[{ op: "remove" }], "noTarget"],
      [[{ op: "move", path: "title" }], "invalidSyntax"],
      [[{ op: "replace", path: "userName", value: 42 }], "invalidValue"],
      [[{ op: "replace", path: "emails", value: [{ value: "not-mail" }] }], "invalidValue"],
      [Array.from({ length: 101 }, () => ({ op: "add", path: "title", value: "x" })), "tooMany"],
    ];
    for (const [ops, scimType] of cases) {
      const r = await s.patchUser(id, ops);
      expect([r.status, r.json.scimType], JSON.stringify(ops).slice(0, 80)).toEqual([400, scimType]);
    }
    const wrongSchema = await scim(s.token, User.PATCH, "PATCH", `/Users/${id}`, { params: { id }, body: { schemas: [USER_URN], Operations: [] } });
    expect(wrongSchema.status).toBe(400);
    const malformed = await scim(s.token, Users.POST, "POST", "/Users", { rawBody: "{", headers: { "content-type": "application/scim+json" } });
    expect([malformed.status, malformed.json.scimType]).toEqual([400, "invalidSyntax"]);
    const noName = await s.createUser({ schemas: [USER_URN], emails: [{ value: "x@y.z" }] });
    expect([noName.status, noName.json.scimType]).toEqual([400, "invalidValue"]);
    const badMember = await s.createGroup({ displayName: "g", members: [{ value: "00000000-0000-4000-8000-000000000000" }] });
    expect([badMember.status, badMember.json.scimType]).toEqual([400, "invalidValue"]);
    expect((await s.getUser("not-a-uuid")).status).toBe(404);
    expect((await s.getGroup("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("who reaches what", () => {
  it("a SCIM token reaches only /scim/v2 of its own organization; nothing else reaches /scim/v2", async () => {
    const a = await setup();
    const b = await setup();
    const u = await a.createUser({ schemas: [USER_URN], userName: `iso-${Date.now()}@acme.com` });
    // Another organization's token: not found, not listed.
    expect((await b.getUser(u.json.id)).status).toBe(404);
    expect((await b.listUsers({})).json.totalResults).toBe(0);
    expect((await scim(b.token, User.DELETE, "DELETE", `/Users/${u.json.id}`, { params: { id: u.json.id } })).status).toBe(404);
    // The SCIM token elsewhere.
    const elsewhere = await call(Members.GET, "GET", "/api/v1/members", { headers: { authorization: `Bearer ${a.token}` } });
    expect([401, 403]).toContain(elsewhere.status);
    expect((await call(Members.GET, "GET", "/api/v1/members", { apiKey: a.token })).status).toBe(401);
    // Other credentials on /scim/v2: an organization key (even with the scim scope), a session, the token as x-api-key, nothing.
    const orgKey = await makeApiKey(a.org, ["scim", "org:read"]);
    for (const opts of [{ headers: { authorization: `Bearer ${orgKey.secret}` } }, { cookie: a.owner.cookie }, { apiKey: a.token }, {}] as CallOptions[]) {
      const r = await call(Users.GET, "GET", "/scim/v2/Users", opts);
      expect(r.status).toBe(401);
      expect(rfcError.parse(r.json).status).toBe("401");
    }
    // A revoked token stops at once.
    const mine = await call(Tokens.POST, "POST", "/api/v1/scim/tokens", { cookie: a.owner.cookie, body: { name: "Okta" } });
    expect(mine.status).toBe(201);
    expect(mine.json.secret).toMatch(/^csm_/);
    expect(mine.json.baseUrl).toMatch(/\/scim\/v2$/);
    expect((await scim(mine.json.secret, Users.GET, "GET", "/Users")).status).toBe(200);
    expect((await call(Token.DELETE, "DELETE", `/api/v1/scim/tokens/${mine.json.token.id}`, { cookie: a.owner.cookie, params: { id: mine.json.token.id } })).status).toBe(204);
    expect((await call(Users.GET, "GET", "/scim/v2/Users", { headers: { authorization: `Bearer ${mine.json.secret}` } })).status).toBe(401);
  });

  it("only an owner creates SCIM tokens or maps groups; the secret is shown once and only its hash is stored", async () => {
    const owner = await makeUser();
    const admin = await makeUser({ organizationId: owner.organizationId, role: "admin" });
    expect((await call(Tokens.POST, "POST", "/api/v1/scim/tokens", { cookie: admin.cookie, body: { name: "x" } })).status).toBe(403);
    expect((await call(GroupMappings.GET, "GET", "/api/v1/scim/groups", { cookie: admin.cookie })).status).toBe(403);
    const made = await call(Tokens.POST, "POST", "/api/v1/scim/tokens", { cookie: owner.cookie, body: { name: "Entra" } });
    const listed = await call(Tokens.GET, "GET", "/api/v1/scim/tokens", { cookie: owner.cookie });
    expect(listed.json.tokens).toEqual([expect.objectContaining({ name: "Entra", prefix: made.json.token.prefix })]);
    expect(listed.text).not.toContain(made.json.secret);
    const row = await db().credential.findUniqueOrThrow({ where: { id: made.json.token.id } });
    expect(row).toMatchObject({ kind: "scim_token", scopes: ["scim"] });
    expect(JSON.stringify(row)).not.toContain(made.json.secret.split("_").pop());
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "scim_token.created", organizationId: owner.organizationId } });
    expect(JSON.stringify(audit, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(made.json.secret);
  });
});
