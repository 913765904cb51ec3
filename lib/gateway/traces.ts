/**
 * Tool-call traces (I/O). POST /api/v1/traces answers 201 only after its traces are in the database
 * (one multi-row insert, so nothing acknowledged is lost on a crash); inputs, outputs and errors are
 * sealed under the master key (gateway-trace:<id>) with a SHA-256 digest beside them. Every check also
 * writes its own trace (source "check") in its transaction.
 */
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { sealSecret } from "@/lib/keystore";
import { canonicalJson, sha256Hex, type Decision } from "./model";

export type TraceInput = {
  agent_id: string;
  tool_name: string;
  check_id?: string | undefined;
  decision?: Decision | undefined;
  blocked?: boolean | undefined;
  duration_ms?: number | undefined;
  status?: string | undefined;
  input?: unknown;
  output?: unknown;
  error?: string | undefined;
  timestamp?: string | undefined;
};

export type TraceView = {
  id: string;
  agent_id: string;
  check_id: string | null;
  tool_name: string;
  decision: Decision | null;
  blocked: boolean;
  duration_ms: number | null;
  status: string | null;
  payload_digest: string | null;
  source: string;
  timestamp: string;
  created_at: string;
};

export async function ingestTraces(db: DbOrTx, organizationId: string, traces: readonly TraceInput[], now = new Date()): Promise<string[]> {
  const rows = traces.map((t) => {
    const id = randomUUID();
    const payload = t.input !== undefined || t.output !== undefined || t.error !== undefined ? { input: t.input, output: t.output, error: t.error } : null;
    const plain = payload ? canonicalJson(payload) : null;
    return {
      id,
      organizationId,
      agentRef: t.agent_id,
      checkId: t.check_id ?? null,
      toolName: t.tool_name,
      decision: t.decision ?? null,
      blocked: t.blocked ?? t.decision === "block",
      durationMs: t.duration_ms ?? null,
      status: t.status ?? null,
      payloadSealed: plain ? (sealSecret(new TextEncoder().encode(plain), `gateway-trace:${id}`) as unknown as Prisma.InputJsonValue) : undefined,
      payloadDigest: plain ? sha256Hex(plain) : null,
      source: "sdk",
      occurredAt: t.timestamp ? new Date(t.timestamp) : now,
    };
  });
  await db.gatewayTrace.createMany({ data: rows });
  return rows.map((r) => r.id);
}

export type TraceFilter = { agentId?: string; from?: Date; to?: Date; blocked?: boolean; limit: number; offset: number };

export async function listTraces(db: DbOrTx, organizationId: string, f: TraceFilter): Promise<TraceView[]> {
  const rows = await db.gatewayTrace.findMany({
    where: {
      organizationId,
      ...(f.agentId ? { agentRef: f.agentId } : {}),
      ...(f.blocked !== undefined ? { blocked: f.blocked } : {}),
      ...(f.from || f.to ? { occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: f.limit,
    skip: f.offset,
  });
  return rows.map((r) => ({
    id: r.id,
    agent_id: r.agentRef,
    check_id: r.checkId,
    tool_name: r.toolName,
    decision: (r.decision as Decision | null) ?? null,
    blocked: r.blocked,
    duration_ms: r.durationMs,
    status: r.status,
    payload_digest: r.payloadDigest,
    source: r.source,
    timestamp: r.occurredAt.toISOString(),
    created_at: r.createdAt.toISOString(),
  }));
}
