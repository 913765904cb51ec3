import { listAuditLog } from "@/lib/api/organizations";
import { auditFilterFromQuery } from "@/lib/audit/filter";
import { listAuditEvents } from "@/lib/audit/query";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { toPage } from "@/lib/http/pagination";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(listAuditLog, async ({ query, principal }) => ({
  status: 200,
  body: await listAuditEvents(db(), orgOf(principal), toPage(query), auditFilterFromQuery(query)),
}));
