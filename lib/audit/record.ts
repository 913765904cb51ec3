import type { DbOrTx } from "@/lib/db/client";
import type { ActorType, AuditOutcome } from "@/lib/generated/prisma/enums";
import { redact } from "@/lib/log/logger";

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
 * Appends one audit event. Pass the transaction that makes the change so the event and the change
 * commit or roll back together. Details pass through the same redaction as logs: no secret lands here.
 */
export async function recordAudit(db: DbOrTx, e: AuditEventInput) {
  return db.auditEvent.create({
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
}
