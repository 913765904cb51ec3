import { exportAuditLog } from "@/lib/api/organizations";
import { AUDIT_CSV_ERROR_ROW, AUDIT_CSV_HEADER, csvRow } from "@/lib/audit/csv";
import { auditFilterFromQuery } from "@/lib/audit/filter";
import { allAuditEvents, type AuditItem } from "@/lib/audit/query";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { log } from "@/lib/log/logger";

const row = (e: AuditItem) => csvRow([e.createdAt, e.action, e.outcome, e.actor.type, e.actor.id, e.actor.label, e.resourceType, e.resourceId, e.ip, e.userAgent, e.details]);

export const GET = handle(exportAuditLog, async ({ query, principal, ctx }) => {
  const events = allAuditEvents(db(), orgOf(principal), auditFilterFromQuery(query));
  // The first batch is read before answering: a query that fails at all fails with its own status, not after a 200.
  const first = await events.next();
  const encoder = new TextEncoder();
  let pending: IteratorResult<AuditItem> | null = first;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(AUDIT_CSV_HEADER)));
    },
    async pull(controller) {
      try {
        const next = pending ?? (await events.next());
        pending = null;
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(row(next.value)));
      } catch (err) {
        // Headers are gone: end with a final error row and a clean close rather than a reset.
        log.error("audit export failed mid-stream", { requestId: ctx.requestId, error: err instanceof Error ? err.message : String(err) });
        controller.enqueue(encoder.encode(csvRow(AUDIT_CSV_ERROR_ROW)));
        controller.close();
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, { status: 200, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="audit-log-${stamp}.csv"`, "cache-control": "no-store" } });
});
