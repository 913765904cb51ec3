/**
 * POST /api/v1/check and the life of a check (I/O): resolve the agent, load the organization's
 * policies, rules documents, settings and the agent's statistics, decide (engine.ts, pure) and
 * record — check row (arguments sealed) + trace + statistics in one transaction — before answering.
 * A pending check waits for a human (PATCH /check/{id}, the dashboard or the approvals inbox):
 * first decision wins; past `expires_at` it is blocked.
 */
import { trustFacts } from "@/lib/trust/store";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { appendDecision } from "@/lib/tlog/append";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { loadActiveRulesDocument } from "@/lib/policy/documents";
import type { ActiveRulesDocument } from "@/lib/policy/engine";
import { notifyOrganization } from "@/lib/push/notify";
import { log } from "@/lib/log/logger";
import { anomalyOf, EMPTY_STATS, updateStats, type AgentStats } from "./anomaly";
import { evaluateToolCall, type ToolCallVerdict } from "./engine";
import { argumentShape, argumentsDigest, canonicalJson, DEFAULT_SETTINGS, type AnomalySignal, type Decision, type GatewaySettingsView, type Reason, type ReviewDecision } from "./model";
import { listToolPolicies, specsOf } from "./policies";
import type { RiskLevel } from "./templates";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RATE_WINDOW_SECONDS = 60;

export async function gatewaySettings(db: DbOrTx, organizationId: string): Promise<GatewaySettingsView> {
  const row = await db.gatewaySettings.findUnique({ where: { organizationId } });
  return row ? { anomalyThreshold: row.anomalyThreshold, agentRatePerMinute: row.agentRatePerMinute, toolRatePerMinute: row.toolRatePerMinute, pendingTtlSeconds: row.pendingTtlSeconds } : { ...DEFAULT_SETTINGS };
}

export async function updateGatewaySettings(db: DbOrTx, organizationId: string, patch: Partial<GatewaySettingsView>, actor: AuditActor, context?: AuditContext): Promise<GatewaySettingsView> {
  const before = await gatewaySettings(db, organizationId);
  const next = { ...before, ...patch };
  await db.gatewaySettings.upsert({ where: { organizationId }, create: { organizationId, ...next }, update: next });
  await recordAudit(db, { organizationId, actor, action: "gateway.settings.updated", resourceType: "gateway_settings", resourceId: organizationId, details: { before, after: next }, context });
  return next;
}

type AgentRecord = { id: string; name: string; aegisAgentId: string | null; status: "active" | "paused" | "retired" };

/**
 * The agent a check is for: its seed 002 agent_id (or registry id). With an agent token it must be
 * the token's own agent (403 otherwise). An agent_id the organization has never seen is registered
 * (name = agent_id), so seed 002 clients work without a registration step.
 */
export async function resolveAgent(db: DbOrTx, organizationId: string, agentRef: string, tokenAgentId: string | null): Promise<AgentRecord> {
  const select = { id: true, name: true, aegisAgentId: true, status: true } as const;
  let agent = await db.agent.findFirst({ where: { organizationId, aegisAgentId: agentRef }, select });
  if (!agent && UUID.test(agentRef)) agent = await db.agent.findFirst({ where: { organizationId, id: agentRef }, select });
  if (tokenAgentId !== null) {
    if (!agent || agent.id !== tokenAgentId) throw new ForbiddenError("This agent token is for another agent");
    return agent;
  }
  if (agent) return agent;
  try {
    return await db.agent.create({ data: { organizationId, name: agentRef.slice(0, 100), aegisAgentId: agentRef }, select });
  } catch (err) {
    if ((err as { code?: string }).code !== "P2002") throw err;
    const again = await db.agent.findFirst({ where: { organizationId, aegisAgentId: agentRef }, select });
    if (!again) throw err;
    return again;
  }
}

async function documentsOf(db: DbOrTx, agentId: string): Promise<ActiveRulesDocument[]> {
  const signers = await db.signer.findMany({ where: { agentId, deletedAt: null }, select: { id: true } });
  const docs = await Promise.all(signers.map((s) => loadActiveRulesDocument(db, s.id)));
  return docs.filter((d): d is ActiveRulesDocument => d !== undefined);
}

type RateRow = { agent_calls: bigint; tool_calls: bigint; agent_oldest: Date | null; tool_oldest: Date | null };

async function rateOf(db: DbOrTx, agentId: string, tool: string, now: Date) {
  const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000);
  const [r] = await db.$queryRaw<RateRow[]>`SELECT count(*) AS agent_calls, count(*) FILTER (WHERE "tool_name" = ${tool}) AS tool_calls,
      min("created_at") AS agent_oldest, min("created_at") FILTER (WHERE "tool_name" = ${tool}) AS tool_oldest
    FROM "gateway_checks" WHERE "agent_id" = ${agentId}::uuid AND "created_at" > ${since}::timestamptz AND "policy_name" <> 'rate_limited'`;
  return { agentCalls: Number(r?.agent_calls ?? 0), toolCalls: Number(r?.tool_calls ?? 0), oldestInWindow: { agent: r?.agent_oldest ?? undefined, tool: r?.tool_oldest ?? undefined } };
}

type StatsRow = { calls: number; ewma_interval: number | null; ewma_blocks: number; last_call_at: Date | null; tools: unknown; shapes: unknown; hours: unknown };

function statsOf(row: StatsRow | undefined): AgentStats {
  if (!row) return EMPTY_STATS;
  return {
    calls: row.calls,
    ewmaInterval: row.ewma_interval,
    ewmaBlocks: row.ewma_blocks,
    lastCallAt: row.last_call_at,
    tools: (row.tools ?? {}) as Record<string, number>,
    shapes: (row.shapes ?? []) as string[],
    hours: (row.hours ?? []) as number[],
  };
}

export type CheckView = {
  check_id: string;
  agent_id: string;
  agent: { id: string; name: string };
  tool_name: string;
  decision: Decision;
  initial_decision: Decision;
  policy_name: string;
  risk_level: RiskLevel;
  classification: { category: string; signals: string[] };
  anomaly_score: number;
  anomaly_signals: AnomalySignal[];
  reasons: Reason[];
  arguments_digest: string;
  expires_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
};

type CheckRow = {
  id: string;
  agentId: string;
  agentRef: string;
  toolName: string;
  decision: string;
  initialDecision: string;
  policyName: string;
  riskLevel: string;
  category: string;
  signals: unknown;
  anomalyScore: number;
  anomalySignals: unknown;
  reasons: unknown;
  argumentsDigest: string;
  expiresAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  agent?: { name: string } | null;
};

export function checkView(r: CheckRow): CheckView {
  return {
    check_id: r.id,
    agent_id: r.agentRef,
    agent: { id: r.agentId, name: r.agent?.name ?? r.agentRef },
    tool_name: r.toolName,
    decision: r.decision as Decision,
    initial_decision: r.initialDecision as Decision,
    policy_name: r.policyName,
    risk_level: r.riskLevel as RiskLevel,
    classification: { category: r.category, signals: r.signals as string[] },
    anomaly_score: r.anomalyScore,
    anomaly_signals: r.anomalySignals as AnomalySignal[],
    reasons: r.reasons as Reason[],
    arguments_digest: r.argumentsDigest,
    expires_at: r.expiresAt?.toISOString() ?? null,
    decided_by: r.decidedBy,
    decided_at: r.decidedAt?.toISOString() ?? null,
    created_at: r.createdAt.toISOString(),
  };
}

const argumentsContext = (id: string) => `gateway-check:${id}`;

/** The sealed arguments of a check, for a reviewer (dashboard). */
export function openArguments(row: { id: string; argumentsSealed: unknown }): unknown {
  return JSON.parse(new TextDecoder().decode(openSecret(row.argumentsSealed as SealedBlob, argumentsContext(row.id))));
}

export type CheckInput = { organizationId: string; agentRef: string; toolName: string; arguments: unknown; tokenAgentId: string | null; now?: Date };

export async function runCheck(db: Db, input: CheckInput): Promise<{ view: CheckView; verdict: ToolCallVerdict }> {
  const now = input.now ?? new Date();
  const agent = await resolveAgent(db, input.organizationId, input.agentRef, input.tokenAgentId);
  const call = { tool_name: input.toolName, arguments: input.arguments };
  const [settings, policies, documents, rate, trust] = await Promise.all([
    gatewaySettings(db, input.organizationId),
    listToolPolicies(db, input.organizationId),
    documentsOf(db, agent.id),
    rateOf(db, agent.id, input.toolName, now),
    trustFacts(db, agent.id, now.getTime()),
  ]);
  const id = randomUUID();
  const shape = argumentShape(input.arguments);
  const plain = canonicalJson(input.arguments);
  const sealed = sealSecret(new TextEncoder().encode(plain), argumentsContext(id)) as unknown as Prisma.InputJsonValue;
  const digest = argumentsDigest(input.arguments);

  const { row, verdict } = await db.$transaction(async (tx) => {
    // One statement creates the row if needed and locks it (an upsert locks the row it touches) until commit.
    const [statsRow] = await tx.$queryRaw<StatsRow[]>`INSERT INTO "gateway_agent_stats" ("agent_id", "organization_id", "updated_at") VALUES (${agent.id}::uuid, ${input.organizationId}::uuid, ${now}::timestamptz)
      ON CONFLICT ("agent_id") DO UPDATE SET "agent_id" = EXCLUDED."agent_id"
      RETURNING "calls", "ewma_interval", "ewma_blocks", "last_call_at", "tools", "shapes", "hours"`;
    const stats = statsOf(statsRow);
    const anomaly = anomalyOf(stats, { tool: input.toolName, shape, now });
    const verdict = evaluateToolCall({
      call,
      organizationId: input.organizationId,
      agent,
      policies: specsOf(policies),
      documents,
      anomaly,
      anomalyThreshold: settings.anomalyThreshold,
      rate: { ...rate, agentLimit: settings.agentRatePerMinute, toolLimit: settings.toolRatePerMinute, windowSeconds: RATE_WINDOW_SECONDS },
      now,
      trust,
    });
    const traceId = randomUUID();
    const row = await tx.gatewayCheck.create({
      data: {
        id,
        organizationId: input.organizationId,
        agentId: agent.id,
        agentRef: input.agentRef,
        toolName: input.toolName,
        argumentsSealed: sealed,
        argumentsDigest: digest,
        decision: verdict.decision,
        initialDecision: verdict.decision,
        policyName: verdict.policy_name,
        riskLevel: verdict.risk_level,
        category: verdict.classification.category,
        signals: verdict.classification.signals,
        anomalyScore: verdict.anomaly_score,
        anomalySignals: verdict.anomaly_signals as unknown as Prisma.InputJsonValue,
        reasons: verdict.reasons as unknown as Prisma.InputJsonValue,
        expiresAt: verdict.decision === "pending" ? new Date(now.getTime() + settings.pendingTtlSeconds * 1000) : null,
        traceId,
        createdAt: now,
      },
    });
    // The verdict's leaf commits with it. Public, so it names the check, the agent and the verdict
    // only: tool names and an arguments digest (guessable for short arguments) stay in the row.
    await appendDecision(tx, { kind: "gateway.check", organizationId: input.organizationId, decisionId: id, decision: verdict.decision, actor: { type: "agent", id: agent.id }, time: now });
    await tx.gatewayTrace.create({
      data: { id: traceId, organizationId: input.organizationId, agentRef: input.agentRef, checkId: id, toolName: input.toolName, decision: verdict.decision, blocked: verdict.decision === "block", payloadDigest: digest, source: "check", occurredAt: now },
    });
    if (verdict.policy_name !== "rate_limited") {
      const next = updateStats(stats, { tool: input.toolName, shape, now, blocked: verdict.decision === "block" });
      await tx.gatewayAgentStats.update({
        where: { agentId: agent.id },
        data: { calls: next.calls, ewmaInterval: next.ewmaInterval, ewmaBlocks: next.ewmaBlocks, lastCallAt: next.lastCallAt, tools: next.tools, shapes: next.shapes, hours: next.hours },
      });
    }
    return { row, verdict };
    // Under load every check queues for a connection (the embedded database has one): wait rather than fail.
  }, { maxWait: 15_000, timeout: 15_000 });

  if (verdict.decision === "pending") {
    try {
      await notifyOrganization(db, { organizationId: input.organizationId, notificationId: id, title: "Tool call needs review", body: `${agent.name}: ${input.toolName} (${verdict.risk_level})`, url: `/gateway?check=${id}` });
    } catch (err) {
      log.warn("push notification could not be queued", { organizationId: input.organizationId, checkId: id, error: (err as Error).message });
    }
  }
  return { view: checkView({ ...row, agent: { name: agent.name } }), verdict };
}

async function findRow(db: DbOrTx, organizationId: string, id: string, tokenAgentId: string | null) {
  if (!UUID.test(id)) throw new NotFoundError("Check not found");
  const row = await db.gatewayCheck.findFirst({ where: { id, organizationId, ...(tokenAgentId ? { agentId: tokenAgentId } : {}) }, include: { agent: { select: { name: true } } } });
  if (!row) throw new NotFoundError("Check not found");
  return row;
}

/** A pending check past its expiry becomes block (decided_by "expired"); conditional, so once. */
async function expireIfDue(db: DbOrTx, row: Awaited<ReturnType<typeof findRow>>, now: Date) {
  if (row.decision !== "pending" || !row.expiresAt || row.expiresAt > now) return row;
  await db.gatewayCheck.updateMany({ where: { id: row.id, decision: "pending" }, data: { decision: "block", decidedBy: "expired", decidedAt: now } });
  return db.gatewayCheck.findUniqueOrThrow({ where: { id: row.id }, include: { agent: { select: { name: true } } } });
}

export async function getCheck(db: DbOrTx, organizationId: string, id: string, tokenAgentId: string | null = null): Promise<CheckView> {
  return checkView(await expireIfDue(db, await findRow(db, organizationId, id, tokenAgentId), new Date()));
}

export async function getCheckWithArguments(db: DbOrTx, organizationId: string, id: string) {
  const row = await findRow(db, organizationId, id, null);
  return { ...checkView(await expireIfDue(db, row, new Date())), arguments: openArguments(row) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * GET /check/{id}/decision?wait=N: answers as soon as the check is no longer pending, or after N
 * seconds (≤ 30). Polls the database, so a decision taken on any instance is seen.
 */
export async function waitForDecision(db: DbOrTx, organizationId: string, id: string, waitSeconds: number, tokenAgentId: string | null = null, signal?: AbortSignal): Promise<CheckView> {
  const deadline = Date.now() + Math.min(30, Math.max(0, waitSeconds)) * 1000;
  let view = await getCheck(db, organizationId, id, tokenAgentId);
  let delay = 100;
  while (view.decision === "pending" && Date.now() < deadline && !signal?.aborted) {
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 1.5, 500);
    view = await getCheck(db, organizationId, id, tokenAgentId);
  }
  return view;
}

export type DecideInput = {
  organizationId: string;
  id: string;
  decision: ReviewDecision;
  decidedBy: string;
  userId?: string | null;
  credentialId?: string | null;
  actor: AuditActor;
  context?: AuditContext;
  via: "api" | "dashboard" | "inbox";
};

/** A human resolves a pending check. First decision wins: later ones (and expired checks) answer 409. */
export async function decideCheck(db: Db, input: DecideInput): Promise<CheckView> {
  const row = await findRow(db, input.organizationId, input.id, null);
  const now = new Date();
  await expireIfDue(db, row, now);
  return db.$transaction(async (tx) => {
    const won = await tx.gatewayCheck.updateMany({
      where: { id: input.id, organizationId: input.organizationId, decision: "pending" },
      data: { decision: input.decision, decidedBy: input.decidedBy, decidedByUserId: input.userId ?? null, decidedByCredentialId: input.credentialId ?? null, decidedAt: now },
    });
    if (won.count !== 1) {
      const after = await tx.gatewayCheck.findUniqueOrThrow({ where: { id: input.id } });
      throw new ConflictError(after.decidedBy === "expired" ? "Check expired before a decision (blocked)" : after.initialDecision !== "pending" ? `Check was not pending: the gateway decided ${after.decision}` : `Check already decided: ${after.decision} by ${after.decidedBy ?? "a reviewer"}`);
    }
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: "gateway.check.decided",
      resourceType: "gateway_check",
      resourceId: input.id,
      details: { decision: input.decision, decidedBy: input.decidedBy, via: input.via, tool: row.toolName, agentId: row.agentId, argumentsDigest: row.argumentsDigest },
      context: input.context,
    });
    return checkView(await tx.gatewayCheck.findUniqueOrThrow({ where: { id: input.id }, include: { agent: { select: { name: true } } } }));
  });
}

export type CheckFilter = { agentId?: string; tool?: string; decision?: Decision; minScore?: number; limit: number; offset?: number; since?: Date };

function whereOf(organizationId: string, f: CheckFilter): Prisma.GatewayCheckWhereInput {
  return {
    organizationId,
    ...(f.agentId ? { OR: [{ agentRef: f.agentId }, ...(UUID.test(f.agentId) ? [{ agentId: f.agentId }] : [])] } : {}),
    ...(f.tool ? { toolName: f.tool } : {}),
    ...(f.decision ? { decision: f.decision } : {}),
    ...(f.minScore !== undefined ? { anomalyScore: { gte: f.minScore } } : {}),
    ...(f.since ? { createdAt: { gte: f.since } } : {}),
  };
}

export async function listChecks(db: DbOrTx, organizationId: string, f: CheckFilter): Promise<CheckView[]> {
  const rows = await db.gatewayCheck.findMany({ where: whereOf(organizationId, f), orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: f.limit, skip: f.offset ?? 0, include: { agent: { select: { name: true } } } });
  const now = new Date();
  return Promise.all(rows.map(async (r) => checkView(await expireIfDue(db, r, now))));
}

/** GET /api/v1/anomalies: checks whose anomaly score is above zero (or min_score), highest first. */
export async function listAnomalies(db: DbOrTx, organizationId: string, f: CheckFilter): Promise<CheckView[]> {
  const rows = await db.gatewayCheck.findMany({
    where: { ...whereOf(organizationId, f), anomalyScore: { gte: f.minScore ?? 0, gt: 0 } },
    orderBy: [{ anomalyScore: "desc" }, { createdAt: "desc" }],
    take: f.limit,
    skip: f.offset ?? 0,
    include: { agent: { select: { name: true } } },
  });
  return rows.map(checkView);
}

/** Dashboard counters: per decision, per tool and per agent, and per hour, over `since`. */
export async function checkStats(db: DbOrTx, organizationId: string, since: Date) {
  const [byDecision, byTool, byAgent, byHour] = await Promise.all([
    db.gatewayCheck.groupBy({ by: ["decision"], where: { organizationId, createdAt: { gte: since } }, _count: { _all: true } }),
    db.gatewayCheck.groupBy({ by: ["toolName", "decision"], where: { organizationId, createdAt: { gte: since } }, _count: { _all: true } }),
    db.gatewayCheck.groupBy({ by: ["agentRef", "decision"], where: { organizationId, createdAt: { gte: since } }, _count: { _all: true } }),
    db.$queryRaw<{ hour: Date; decision: string; n: bigint }[]>`SELECT date_trunc('hour', "created_at") AS hour, "decision", count(*) AS n FROM "gateway_checks"
      WHERE "organization_id" = ${organizationId}::uuid AND "created_at" >= ${since}::timestamptz GROUP BY 1, 2 ORDER BY 1`,
  ]);
  const fold = <K extends string>(rows: { decision: string; _count: { _all: number } }[], key: (r: never) => string) => {
    const out = new Map<string, { allow: number; block: number; pending: number }>();
    for (const r of rows) {
      const k = key(r as never);
      const e = out.get(k) ?? { allow: 0, block: 0, pending: 0 };
      e[r.decision as Decision] += r._count._all;
      out.set(k, e);
    }
    return [...out.entries()].map(([name, counts]) => ({ name, ...counts })) as ({ name: K } & { allow: number; block: number; pending: number })[];
  };
  const totals = { allow: 0, block: 0, pending: 0 };
  for (const r of byDecision) totals[r.decision as Decision] += r._count._all;
  const hours = new Map<string, { allow: number; block: number; pending: number }>();
  for (const r of byHour) {
    const k = r.hour.toISOString();
    const e = hours.get(k) ?? { allow: 0, block: 0, pending: 0 };
    e[r.decision as Decision] += Number(r.n);
    hours.set(k, e);
  }
  return {
    totals,
    tools: fold(byTool, (r: { toolName: string }) => r.toolName),
    agents: fold(byAgent, (r: { agentRef: string }) => r.agentRef),
    timeline: [...hours.entries()].map(([hour, c]) => ({ hour, ...c })),
  };
}
