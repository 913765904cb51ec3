import { exportAuditLog } from "@/lib/api/organizations";
import { AUDIT_CSV_HEADER, csvRow } from "@/lib/audit/csv";
import { auditFilterFromQuery } from "@/lib/audit/filter";
import { allAuditEvents } from "@/lib/audit/query";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(exportAuditLog, async ({ query, principal }) => {
  const events = allAuditEvents(db(), orgOf(principal), auditFilterFromQuery(query));
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(AUDIT_CSV_HEADER)));
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) return controller.close();
      const e = next.value;
      controller.enqueue(encoder.encode(csvRow([e.createdAt, e.action, e.outcome, e.actor.type, e.actor.id, e.actor.label, e.resourceType, e.resourceId, e.ip, e.userAgent, e.details])));
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, { status: 200, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="audit-log-${stamp}.csv"`, "cache-control": "no-store" } });
});
