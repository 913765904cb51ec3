import type { DbOrTx, Tx } from "@/lib/db/client";
import type { ActorType, AuditOutcome } from "@/lib/generated/prisma/enums";
import { redact } from "@/lib/log/logger";
import { appendLeaves, type LogEvent } from "@/lib/tlog/append";
import { canonicalBytes } from "@/lib/tlog/jcs";
import { sha256 } from "@noble/hashes/sha2.js";

export type AuditActor = { type: ActorType; id?: string | null; label?: string | null };
export type AuditContext = { ip?: string | null; userAgent?: string | null; requestId?: string | null };

export type AuditEventInput = {
  organizationId: string | null;
  actor: AuditActor;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
  context?: AuditContext;
};

/**
 * The audit event's transparency-log leaf (issue #14): who did what to which resource, the outcome,
 * and a SHA-256 of the (redacted) details' canonical JSON — the details themselves, labels, IP and
 * user agent stay out of the public log, but the leaf commits to them.
 */
export function auditLogEvent(row: { id: string; organizationId: string | null; actorType: string; actorId: string | null; action: string; resourceType: string; resourceId: string | null; outcome: string; details: unknown; createdAt: Date }): LogEvent {
  return {
    kind: "audit",
    organizationId: row.organizationId,
    decisionId: row.id,
    time: row.createdAt,
    body: {
      action: row.action,
      outcome: row.outcome,
      actor: { type: row.actorType, id: row.actorId },
      resource: { type: row.resourceType, id: row.resourceId },
      details_sha256: Buffer.from(sha256(canonicalBytes(row.details ?? {}))).toString("hex"),
    },
  };
}

/**
 * Appends one audit event, and its transparency-log leaf in the same transaction. Pass the
 * transaction that makes the change so the event, its leaf and the change commit or roll back
 * together (given the client itself, both are written in a transaction of their own). Details pass
 * through the same redaction as logs: no secret lands here.
 */
export async function recordAudit(db: DbOrTx, e: AuditEventInput): Promise<Awaited<ReturnType<Tx["auditEvent"]["create"]>>> {
  // The root client (not a transaction: those have no $connect) opens one for the event and its leaf.
  if ("$connect" in db) return db.$transaction((tx) => recordAudit(tx, e));
  const row = await db.auditEvent.create({
    data: {
      organizationId: e.organizationId,
      actorType: e.actor.type,
      actorId: e.actor.id ?? null,
      actorLabel: e.actor.label ?? null,
      action: e.action,
      resourceType: e.resourceType,
      resourceId: e.resourceId ?? null,
      outcome: e.outcome ?? "success",
      ip: e.context?.ip ?? null,
      userAgent: e.context?.userAgent?.slice(0, 512) ?? null,
      requestId: e.context?.requestId ?? null,
      details: (redact(e.details ?? {}) ?? {}) as object,
    },
  });
  await appendLeaves(db, [auditLogEvent(row)]);
  return row;
}
