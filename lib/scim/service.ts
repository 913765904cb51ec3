import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { assertScimIncluded } from "@/lib/billing/limits";
import { env } from "@/lib/config/env";
import { db, type Tx } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import type { MembershipChange } from "./members";
import { etagOf, groupJson, project, userJson, wantsMembers, type Json } from "./resources";
import { listResponse, resourceTypeDocs, schemaDocs, serviceProviderConfig } from "./schemas";
import * as store from "./store";

/**
 * The SCIM routes' work (app/scim/v2/**): one transaction per write, audited with the membership
 * changes it caused, and the resource shaped as the request asked (attributes/excludedAttributes).
 */

export const scimBaseUrl = () => `${env().origin}/scim/v2`;
type Who = { organizationId: string; actor: AuditActor; context: AuditContext };
type Projection = { attributes?: string; excludedAttributes?: string };

async function audit(tx: Tx, who: Who, action: string, resourceType: "scim_user" | "scim_group", resourceId: string, details: Record<string, unknown>, changes: MembershipChange[]) {
  await recordAudit(tx, { organizationId: who.organizationId, actor: who.actor, action, resourceType, resourceId, details, context: who.context });
  for (const c of changes) {
    const target = "userId" in c ? { resourceType: "membership", resourceId: c.userId } : { resourceType: "invitation", resourceId: c.invitationId };
    await recordAudit(tx, { organizationId: who.organizationId, actor: who.actor, action: c.kind, ...target, details: { role: c.role, ...("from" in c && c.from ? { from: c.from } : {}), via: "scim" }, context: who.context });
  }
}

const headersOf = (version: number, location?: string) => ({ etag: etagOf(version), ...(location ? { location } : {}) });

export async function listUsers(organizationId: string, q: store.ListQuery & Projection) {
  await assertScimIncluded(db(), organizationId);
  const { rows, total, startIndex } = await store.listUsers(db(), organizationId, q);
  return listResponse(rows.map((r) => project("User", userJson(r, scimBaseUrl()), q.attributes, q.excludedAttributes)), total, startIndex);
}

export async function listGroups(organizationId: string, q: store.ListQuery & Projection) {
  await assertScimIncluded(db(), organizationId);
  const { rows, total, startIndex } = await store.listGroups(db(), organizationId, q, wantsMembers(q.attributes, q.excludedAttributes));
  return listResponse(rows.map((r) => project("Group", groupJson(r, scimBaseUrl()), q.attributes, q.excludedAttributes)), total, startIndex);
}

type SearchBody = store.ListQuery & { attributes?: string | string[]; excludedAttributes?: string | string[] };
const joinList = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);

export function searchQuery(body: SearchBody): store.ListQuery & Projection {
  return { ...body, attributes: joinList(body.attributes), excludedAttributes: joinList(body.excludedAttributes) };
}

/**
 * POST /.search over both resource types: Users, then Groups, paged as one list. A filter naming an
 * attribute only one type has matches nothing of the other.
 */
export async function searchAll(organizationId: string, q: store.ListQuery & Projection) {
  await assertScimIncluded(db(), organizationId);
  const { startIndex, count } = store.pageOf(q);
  const attempt = async <T>(f: () => Promise<T>): Promise<T | Error> => f().catch((e: unknown) => (e instanceof BadRequestError && e.scimType === "invalidFilter" ? e : Promise.reject(e)));
  const totals = await Promise.all((["User", "Group"] as const).map((k) => attempt(() => store.selectIds(db(), k, organizationId, { ...q, startIndex: 1, count: 0 }))));
  if (totals.every((t) => t instanceof Error)) throw totals[0];
  const [nU, nG] = totals.map((t) => (t instanceof Error ? 0 : t.total)) as [number, number];
  const out: Json[] = [];
  if (count > 0 && startIndex <= nU) {
    const users = await store.listUsers(db(), organizationId, { ...q, startIndex, count });
    out.push(...users.rows.map((r) => project("User", userJson(r, scimBaseUrl()), q.attributes, q.excludedAttributes)));
  }
  const left = count - out.length;
  if (left > 0 && nG > 0 && startIndex + out.length <= nU + nG) {
    const groups = await store.listGroups(db(), organizationId, { ...q, startIndex: Math.max(1, startIndex - nU), count: left }, wantsMembers(q.attributes, q.excludedAttributes));
    out.push(...groups.rows.map((r) => project("Group", groupJson(r, scimBaseUrl()), q.attributes, q.excludedAttributes)));
  }
  return listResponse(out, nU + nG, startIndex);
}

export async function getUser(organizationId: string, id: string, p: Projection) {
  await assertScimIncluded(db(), organizationId);
  const row = await store.getUser(db(), organizationId, id);
  return { body: project("User", userJson(row, scimBaseUrl()), p.attributes, p.excludedAttributes), headers: headersOf(row.version) };
}

export async function getGroup(organizationId: string, id: string, p: Projection) {
  await assertScimIncluded(db(), organizationId);
  const row = await store.getGroup(db(), organizationId, id);
  return { body: project("Group", groupJson(row, scimBaseUrl()), p.attributes, p.excludedAttributes), headers: headersOf(row.version) };
}

export async function createUser(who: Who, doc: Json) {
  await assertScimIncluded(db(), who.organizationId);
  const { row } = await db().$transaction(async (tx) => {
    const r = await store.createUser(tx, who.organizationId, doc);
    await audit(tx, who, "scim.user.created", "scim_user", r.row.id, { userName: r.row.userName, active: r.row.active }, r.membership);
    return r;
  });
  const body = userJson(row, scimBaseUrl());
  return { body, headers: headersOf(row.version, `${scimBaseUrl()}/Users/${row.id}`) };
}

export async function writeUser(who: Who, id: string, mode: "put" | "patch", doc: unknown, ifMatch: string | null) {
  await assertScimIncluded(db(), who.organizationId);
  const r = await db().$transaction(async (tx) => {
    const out = mode === "put" ? await store.replaceUser(tx, who.organizationId, id, doc as Json, ifMatch) : await store.patchUser(tx, who.organizationId, id, doc, ifMatch, scimBaseUrl());
    const action = out.deactivated ? "scim.user.deactivated" : "scim.user.updated";
    await audit(tx, who, action, "scim_user", id, { userName: out.row.userName, active: out.row.active, via: mode }, out.membership);
    return out;
  });
  return { body: userJson(r.row, scimBaseUrl()), headers: headersOf(r.row.version) };
}

export async function deleteUser(who: Who, id: string, ifMatch: string | null) {
  await assertScimIncluded(db(), who.organizationId);
  await db().$transaction(async (tx) => {
    const r = await store.deleteUser(tx, who.organizationId, id, ifMatch);
    await audit(tx, who, "scim.user.deleted", "scim_user", id, { userName: r.row.userName }, r.membership);
  });
}

export async function createGroup(who: Who, doc: Json) {
  await assertScimIncluded(db(), who.organizationId);
  const r = await db().$transaction(async (tx) => {
    const out = await store.createGroup(tx, who.organizationId, doc);
    await audit(tx, who, "scim.group.created", "scim_group", out.row.id, { displayName: out.row.displayName, role: out.row.role, members: out.row.members.length }, out.membership);
    return out;
  });
  return { body: groupJson(r.row, scimBaseUrl()), headers: headersOf(r.row.version, `${scimBaseUrl()}/Groups/${r.row.id}`) };
}

export async function writeGroup(who: Who, id: string, mode: "put" | "patch", doc: unknown, ifMatch: string | null) {
  await assertScimIncluded(db(), who.organizationId);
  const r = await db().$transaction(async (tx) => {
    const out = mode === "put" ? await store.replaceGroup(tx, who.organizationId, id, doc as Json, ifMatch) : await store.patchGroup(tx, who.organizationId, id, doc, ifMatch, scimBaseUrl());
    await audit(tx, who, "scim.group.updated", "scim_group", id, { displayName: out.row.displayName, role: out.row.role, added: out.added.length, removed: out.removed.length, via: mode }, out.membership);
    return out;
  });
  return { body: groupJson(r.row, scimBaseUrl()), headers: headersOf(r.row.version) };
}

export async function deleteGroup(who: Who, id: string, ifMatch: string | null) {
  await assertScimIncluded(db(), who.organizationId);
  await db().$transaction(async (tx) => {
    const r = await store.deleteGroup(tx, who.organizationId, id, ifMatch);
    await audit(tx, who, "scim.group.deleted", "scim_group", id, { displayName: r.row.displayName }, r.membership);
  });
}

/** Who is acting, from the route's principal and request context. */
export function whoOf(organizationId: string, actor: AuditActor, context: AuditContext): Who {
  return { organizationId, actor, context };
}

export function spcDocument() {
  return serviceProviderConfig(scimBaseUrl(), `${env().origin}/skill.md#scim`);
}

function docsOf(kind: "resourceTypes" | "schemas"): Json[] {
  return kind === "schemas" ? schemaDocs(scimBaseUrl()) : resourceTypeDocs(scimBaseUrl());
}

export function discoveryList(kind: "resourceTypes" | "schemas") {
  const docs = docsOf(kind) as ({ schemas: string[] } & Json)[];
  return listResponse(docs, docs.length, 1);
}

export function discoveryOne(kind: "resourceTypes" | "schemas", id: string) {
  const doc = (docsOf(kind) as ({ schemas: string[] } & Json)[]).find((d) => d.id === id);
  if (!doc) throw new NotFoundError(`${kind === "schemas" ? "Schema" : "ResourceType"} ${id} not found`);
  return doc;
}
