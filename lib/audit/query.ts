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

/** Newest first, scoped to one organization, cursor = the last seen sequence number. */
export async function listAuditEvents(db: DbOrTx, organizationId: string, page: Page): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const before = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await db.auditEvent.findMany({
    where: { organizationId, ...(before !== null ? { seq: { lt: BigInt(before) } } : {}) },
    orderBy: { seq: "desc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return {
    items: slice.map((r) => ({
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
    })),
    nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq.toString()) : null,
  };
}
