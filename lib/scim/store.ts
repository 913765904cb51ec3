import type { DbOrTx, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { ApiError, BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { filterToSql, sortColumn, type ResourceKind } from "./filter-sql";
import { baseRoleOf, deprovision, provision, roleForGroupName, roleOfScimUser, type MembershipChange } from "./members";
import { applyPatch } from "./patch";
import { etagOf, groupFields, groupJson, userFields, userJson, type Json, type ScimGroupRow, type ScimUserRow } from "./resources";
import { MAX_RESULTS } from "./schemas";

/**
 * SCIM Users and Groups of one organization in the database. Lists are one SQL query (filter,
 * sort, page) plus one read of that page; writes lock the resource row (SELECT … FOR UPDATE) so
 * If-Match is checked against the version the write replaces, whichever app instance wrote last.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const userInclude = { groups: { select: { group: { select: { id: true, displayName: true } } } } } as const;
const groupInclude = { members: { select: { user: { select: { id: true, userName: true, displayName: true } } } } } as const;

export class PreconditionFailedError extends ApiError {
  constructor() {
    super(412, "The resource changed since that version (If-Match): read it again");
  }
}

export type ListQuery = { filter?: string; sortBy?: string; sortOrder?: "ascending" | "descending"; startIndex?: number; count?: number };

/** RFC 7644 §3.4.2.4: startIndex below 1 is 1; count below 0 is 0; count above the maximum is the maximum. */
export function pageOf(q: ListQuery) {
  const startIndex = Math.max(1, Math.floor(q.startIndex ?? 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, Math.floor(q.count ?? MAX_RESULTS)));
  return { startIndex, count };
}

/** The page of ids a list request selects, and how many resources match: both in SQL. */
export async function selectIds(db: DbOrTx, kind: ResourceKind, organizationId: string, q: ListQuery) {
  const params: unknown[] = [organizationId];
  const table = kind === "User" ? "scim_users" : "scim_groups";
  const where = `"r"."organization_id" = $1::uuid${q.filter ? ` AND (${filterToSql(kind, q.filter, params)})` : ""}`;
  const { startIndex, count } = pageOf(q);
  const order = q.sortBy ? `${sortColumn(kind, q.sortBy)} ${q.sortOrder === "descending" ? "DESC" : "ASC"} NULLS LAST, "r"."created_at", "r"."id"` : `"r"."created_at", "r"."id"`;
  const totals = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS "n" FROM "${table}" AS "r" WHERE ${where}`, ...params);
  const total = Number(totals[0]?.n ?? 0);
  if (count === 0 || startIndex > total) return { ids: [] as string[], total, startIndex };
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "r"."id"::text AS "id" FROM "${table}" AS "r" WHERE ${where} ORDER BY ${order} LIMIT ${count} OFFSET ${startIndex - 1}`,
    ...params,
  );
  return { ids: rows.map((r) => r.id), total, startIndex };
}

function ordered<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => by.get(id)).filter((r): r is T => r !== undefined);
}

export async function listUsers(db: DbOrTx, organizationId: string, q: ListQuery) {
  const { ids, total, startIndex } = await selectIds(db, "User", organizationId, q);
  const rows = ids.length ? await db.scimUser.findMany({ where: { id: { in: ids } }, include: userInclude }) : [];
  return { rows: ordered(ids, rows), total, startIndex };
}

export async function listGroups(db: DbOrTx, organizationId: string, q: ListQuery, withMembers: boolean) {
  const { ids, total, startIndex } = await selectIds(db, "Group", organizationId, q);
  const rows: ScimGroupRow[] = ids.length ? await db.scimGroup.findMany({ where: { id: { in: ids } }, include: withMembers ? groupInclude : undefined }) : [];
  return { rows: ordered(ids, rows), total, startIndex };
}

export async function getUser(db: DbOrTx, organizationId: string, id: string) {
  const row = UUID_RE.test(id) ? await db.scimUser.findFirst({ where: { id, organizationId }, include: userInclude }) : null;
  if (!row) throw new NotFoundError(`User ${id} not found`);
  return row;
}

export async function getGroup(db: DbOrTx, organizationId: string, id: string) {
  const row = UUID_RE.test(id) ? await db.scimGroup.findFirst({ where: { id, organizationId }, include: groupInclude }) : null;
  if (!row) throw new NotFoundError(`Group ${id} not found`);
  return row;
}

/** If-Match (RFC 7644 §3.14): "*" or a list of ETags, one of which must be the current one. */
export function checkIfMatch(ifMatch: string | null, version: number) {
  if (ifMatch === null) return;
  const tags = ifMatch.split(",").map((t) => t.trim());
  const current = etagOf(version);
  if (!tags.some((t) => t === "*" || t === current || `W/${t}` === current)) throw new PreconditionFailedError();
}

async function lock(tx: Tx, kind: ResourceKind, organizationId: string, id: string): Promise<number> {
  if (!UUID_RE.test(id)) throw new NotFoundError(`${kind} ${id} not found`);
  const table = kind === "User" ? "scim_users" : "scim_groups";
  const rows = await tx.$queryRawUnsafe<{ version: number }[]>(`SELECT "version" FROM "${table}" WHERE "id" = $1::uuid AND "organization_id" = $2::uuid FOR UPDATE`, id, organizationId);
  if (!rows[0]) throw new NotFoundError(`${kind} ${id} not found`);
  return rows[0].version;
}

async function assertUniqueUserName(db: DbOrTx, organizationId: string, key: string, except?: string) {
  const clash = await db.scimUser.findFirst({ where: { organizationId, userNameKey: key, ...(except ? { id: { not: except } } : {}) }, select: { id: true } });
  if (clash) throw new ConflictError(`userName is already taken in this organization`, { scimType: "uniqueness" });
  return clash;
}

function userData(f: ReturnType<typeof userFields>) {
  const { emails, enterprise, ...rest } = f;
  return { ...rest, emails: emails as Prisma.InputJsonValue, enterprise: (enterprise ?? undefined) as Prisma.InputJsonValue | undefined };
}

export type Changes = { membership: MembershipChange[] };

export async function createUser(tx: Tx, organizationId: string, doc: Json) {
  const f = userFields(doc);
  await assertUniqueUserName(tx, organizationId, f.userNameKey);
  if (await tx.scimUser.findFirst({ where: { organizationId, email: f.email }, select: { id: true } })) throw new ConflictError(`Another User already has the address ${f.email}`, { scimType: "uniqueness" });
  const baseRole = await baseRoleOf(tx, organizationId, f.email);
  const row = await tx.scimUser.create({ data: { organizationId, ...userData(f), baseRole }, include: userInclude });
  const membership = await provision(tx, organizationId, row, await roleOfScimUser(tx, row.id));
  return { row, membership };
}

/** PUT and PATCH end here: the new fields replace the row, the membership follows (the old address's goes first). */
async function writeUser(tx: Tx, organizationId: string, id: string, before: ScimUserRow, doc: Json) {
  const f = userFields(doc);
  if (f.userNameKey !== before.userName.toLowerCase()) await assertUniqueUserName(tx, organizationId, f.userNameKey, id);
  const membership: MembershipChange[] = [];
  if (f.email !== before.email) {
    if (await tx.scimUser.findFirst({ where: { organizationId, email: f.email, id: { not: id } }, select: { id: true } })) throw new ConflictError(`Another User already has the address ${f.email}`, { scimType: "uniqueness" });
    membership.push(...(await deprovision(tx, organizationId, before.email)));
  }
  // A new address is a new person to the organization: their base role is looked up again.
  const baseRole = f.email !== before.email ? await baseRoleOf(tx, organizationId, f.email) : undefined;
  const row = await tx.scimUser.update({
    where: { id },
    data: { ...userData(f), enterprise: (f.enterprise ?? null) as Prisma.InputJsonValue, ...(baseRole ? { baseRole } : {}), version: { increment: 1 }, updatedAt: new Date() },
    include: userInclude,
  });
  membership.push(...(await provision(tx, organizationId, row, await roleOfScimUser(tx, row.id))));
  return { row, membership, deactivated: before.active && !row.active };
}

export async function replaceUser(tx: Tx, organizationId: string, id: string, doc: Json, ifMatch: string | null) {
  checkIfMatch(ifMatch, await lock(tx, "User", organizationId, id));
  const before = await getUser(tx, organizationId, id);
  return writeUser(tx, organizationId, id, before, doc);
}

export async function patchUser(tx: Tx, organizationId: string, id: string, body: unknown, ifMatch: string | null, base: string) {
  checkIfMatch(ifMatch, await lock(tx, "User", organizationId, id));
  const before = await getUser(tx, organizationId, id);
  const { meta: _m, groups: _g, ...current } = userJson(before, base);
  const doc = applyPatch("User", current, body);
  return writeUser(tx, organizationId, id, before, doc);
}

export async function deleteUser(tx: Tx, organizationId: string, id: string, ifMatch: string | null) {
  checkIfMatch(ifMatch, await lock(tx, "User", organizationId, id));
  const row = await tx.scimUser.findUniqueOrThrow({ where: { id } });
  const membership = await deprovision(tx, organizationId, row.email);
  await tx.scimUser.delete({ where: { id } });
  return { row, membership };
}

// --- Groups -----------------------------------------------------------------------------------

async function assertUsers(tx: Tx, organizationId: string, ids: string[]) {
  if (!ids.length) return;
  const found = await tx.scimUser.findMany({ where: { organizationId, id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((i) => !found.some((f) => f.id === i));
  if (missing.length) throw new BadRequestError(`members: no User ${missing[0]} in this organization`, [{ field: "body.members", message: "Unknown User" }], { scimType: "invalidValue" });
}

/** Re-derives the role of every user whose groups changed. */
async function resync(tx: Tx, organizationId: string, userIds: Iterable<string>) {
  const out: MembershipChange[] = [];
  for (const uid of new Set(userIds)) {
    const u = await tx.scimUser.findUnique({ where: { id: uid }, select: { id: true, email: true, active: true, baseRole: true } });
    if (u) out.push(...(await provision(tx, organizationId, u, await roleOfScimUser(tx, u.id))));
  }
  return out;
}

export async function createGroup(tx: Tx, organizationId: string, doc: Json) {
  const f = groupFields(doc);
  const ids = f.memberIds ?? [];
  await assertUsers(tx, organizationId, ids);
  const row = await tx.scimGroup.create({
    data: { organizationId, displayName: f.displayName, externalId: f.externalId, role: roleForGroupName(f.displayName), members: { create: ids.map((userId) => ({ userId })) } },
  });
  const membership = await resync(tx, organizationId, ids);
  return { row: await getGroup(tx, organizationId, row.id), membership };
}

async function writeGroup(tx: Tx, organizationId: string, before: ScimGroupRow & { members: { user: { id: string } }[] }, doc: Json, role?: Role | null) {
  const f = groupFields(doc);
  const prev = before.members.map((m) => m.user.id);
  const next = f.memberIds ?? [];
  await assertUsers(tx, organizationId, next.filter((i) => !prev.includes(i)));
  // A role-named group maps by its name; renaming a custom group keeps the mapping its owner chose.
  const autoRole = roleForGroupName(f.displayName);
  const newRole = role !== undefined ? role : autoRole ?? (roleForGroupName(before.displayName) ? null : before.role);
  const removed = prev.filter((i) => !next.includes(i));
  const added = next.filter((i) => !prev.includes(i));
  if (removed.length) await tx.scimGroupMember.deleteMany({ where: { groupId: before.id, userId: { in: removed } } });
  if (added.length) await tx.scimGroupMember.createMany({ data: added.map((userId) => ({ groupId: before.id, userId })), skipDuplicates: true });
  await tx.scimGroup.update({ where: { id: before.id }, data: { displayName: f.displayName, externalId: f.externalId, role: newRole, version: { increment: 1 }, updatedAt: new Date() } });
  const affected = newRole !== before.role ? [...prev, ...next] : [...removed, ...added];
  const membership = await resync(tx, organizationId, affected);
  return { row: await getGroup(tx, organizationId, before.id), membership, added, removed };
}

export async function replaceGroup(tx: Tx, organizationId: string, id: string, doc: Json, ifMatch: string | null) {
  checkIfMatch(ifMatch, await lock(tx, "Group", organizationId, id));
  const before = await getGroup(tx, organizationId, id);
  // PUT without members leaves the group empty (RFC 7644 §3.5.1 replaces the whole resource).
  return writeGroup(tx, organizationId, before, { ...doc, members: (doc as Json).members ?? (doc as Json).Members ?? [] });
}

export async function patchGroup(tx: Tx, organizationId: string, id: string, body: unknown, ifMatch: string | null, base: string) {
  checkIfMatch(ifMatch, await lock(tx, "Group", organizationId, id));
  const before = await getGroup(tx, organizationId, id);
  const { meta: _m, ...current } = groupJson(before, base);
  const doc = applyPatch("Group", { ...current, members: current.members ?? [] }, body);
  return writeGroup(tx, organizationId, before, { ...doc, members: doc.members ?? [] });
}

export async function deleteGroup(tx: Tx, organizationId: string, id: string, ifMatch: string | null) {
  checkIfMatch(ifMatch, await lock(tx, "Group", organizationId, id));
  const before = await getGroup(tx, organizationId, id);
  await tx.scimGroup.delete({ where: { id } });
  const membership = await resync(tx, organizationId, before.members.map((m) => m.user.id));
  return { row: before, membership };
}

/** Settings → Provisioning: the role a custom group grants (null: none). Role-named groups keep theirs. */
export async function mapGroupRole(tx: Tx, organizationId: string, id: string, role: Role | null) {
  await lock(tx, "Group", organizationId, id);
  const before = await getGroup(tx, organizationId, id);
  if (roleForGroupName(before.displayName)) throw new ConflictError(`The group "${before.displayName}" grants the role it is named after`);
  const { meta: _m, ...current } = groupJson(before, "");
  return writeGroup(tx, organizationId, before, current, role);
}
