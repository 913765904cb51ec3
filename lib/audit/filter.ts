import type { AuditFilter } from "./query";

/** Query-string filter (already validated by the contract) → domain filter. */
export function auditFilterFromQuery(q: { action?: string; resource_type?: string; q?: string; from?: string; to?: string; signer?: string }): AuditFilter {
  return {
    action: q.action,
    resourceType: q.resource_type,
    q: q.q,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    signerId: q.signer,
  };
}
