import type { Prisma } from "@/lib/generated/prisma/client";
import type { DbOrTx } from "@/lib/db/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/pagination";

export type AuditItem = {
  id: string;
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  resourceType: string;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  details: unknown;
};

/** Filters of GET /audit-log and its CSV export (seeds 000 and 002). */
export type AuditFilter = {
  action?: string;
  resourceType?: string;
  q?: string;
  from?: Date;
  to?: Date;
  signerId?: string;
};

/**
 * `action` matches exactly or, ending in ".*", by prefix ("signer.*"); `q` searches action, actor,
 * resource id and actor id; `signer` selects events about that signer: the signer itself or anything
 * whose details name it (`details.signerId`: policies, rules documents, signing decisions).
 */
export function auditWhere(organizationId: string, f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [{ organizationId }];
  if (f.action) and.push(f.action.endsWith(".*") ? { action: { startsWith: f.action.slice(0, -1) } } : { action: f.action });
  if (f.resourceType) and.push({ resourceType: f.resourceType });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lt: f.to } });
  if (f.signerId) and.push({ OR: [{ resourceType: "signer", resourceId: f.signerId }, { details: { path: ["signerId"], equals: f.signerId } }] });
  if (f.q) {
    const contains = { contains: f.q, mode: "insensitive" as const };
    and.push({ OR: [{ action: contains }, { actorLabel: contains }, { resourceId: contains }, { actorId: contains }] });
  }
  return { AND: and };
}

function toItem(r: { id: string; action: string; actorType: string; actorId: string | null; actorLabel: string | null; resourceType: string; resourceId: string | null; outcome: string; ip: string | null; userAgent: string | null; createdAt: Date; details: unknown }): AuditItem {
  return {
    id: r.id,
    action: r.action,
    actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt.toISOString(),
    details: r.details,
  };
}

/** Newest first, scoped to one organization, cursor = the last seen sequence number. */
export async function listAuditEvents(db: DbOrTx, organizationId: string, page: Page, filter: AuditFilter = {}): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const before = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await db.auditEvent.findMany({
    where: { AND: [auditWhere(organizationId, filter), ...(before !== null ? [{ seq: { lt: BigInt(before) } }] : [])] },
    orderBy: { seq: "desc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return { items: slice.map(toItem), nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq.toString()) : null };
}

/** Every matching event, newest first, fetched in batches (for the CSV export stream). */
export async function* allAuditEvents(db: DbOrTx, organizationId: string, filter: AuditFilter, batch = 500): AsyncGenerator<AuditItem> {
  let before: bigint | null = null;
  for (;;) {
    const where: Prisma.AuditEventWhereInput = { AND: [auditWhere(organizationId, filter), ...(before !== null ? [{ seq: { lt: before } }] : [])] };
    const rows: Awaited<ReturnType<DbOrTx["auditEvent"]["findMany"]>> = await db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, take: batch });
    for (const r of rows) yield toItem(r);
    if (rows.length < batch) return;
    before = rows[rows.length - 1]!.seq;
  }
}
