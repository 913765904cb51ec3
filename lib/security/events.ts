import type { DbOrTx } from "@/lib/db/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/pagination";
import { recordSecurityEventMetric } from "@/lib/ops/metrics";

export type SecurityEventKind = "credential_failed" | "credential_rate_limited";
/** What was presented: a credential kind named by its token prefix, an agent token, or a value of no known form. */
export type PresentedCredentialType = "organization_key" | "signer_key" | "agent_token" | "scim_token" | "agent_jwt" | "malformed";

export type SecurityEventInput = {
  kind: SecurityEventKind;
  organizationId: string | null;
  credentialType: PresentedCredentialType;
  credentialHint: string | null;
  credentialId: string | null;
  ip: string | null;
  method: string;
  route: string;
  requestId: string | null;
};

export async function recordSecurityEvent(db: DbOrTx, e: SecurityEventInput): Promise<void> {
  await db.securityEvent.create({ data: e });
  recordSecurityEventMetric(e.kind);
}

export type SecurityEventItem = {
  id: string;
  kind: string;
  credentialType: string;
  credentialHint: string | null;
  credentialId: string | null;
  ip: string | null;
  method: string;
  route: string;
  requestId: string | null;
  createdAt: string;
};

/** The organization's security events, newest first (index organization_id, seq). */
export async function listSecurityEvents(db: DbOrTx, organizationId: string, page: Page): Promise<{ items: SecurityEventItem[]; nextCursor: string | null }> {
  const before = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await db.securityEvent.findMany({
    where: { organizationId, ...(before !== null ? { seq: { lt: BigInt(before) } } : {}) },
    orderBy: { seq: "desc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return {
    items: slice.map((r) => ({
      id: r.id,
      kind: r.kind,
      credentialType: r.credentialType,
      credentialHint: r.credentialHint,
      credentialId: r.credentialId,
      ip: r.ip,
      method: r.method,
      route: r.route,
      requestId: r.requestId,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq.toString()) : null,
  };
}
