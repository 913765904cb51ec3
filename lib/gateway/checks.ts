/**
 * POST /api/v1/check and the life of a check (I/O): resolve the agent, load the organization's
 * policies, rules documents, settings and the agent's statistics, decide (engine.ts, pure) and
 * record — check row (arguments sealed) + trace + statistics in one transaction — before answering.
 * A pending check waits for a human (PATCH /check/{id}, the dashboard or the approvals inbox):
 * first decision wins; past `expires_at` it is blocked.
 */
import { admitChecks, assertCanAdd } from "@/lib/billing/limits";
import { recordEvidence } from "@/lib/trust/evidence";
import { trustFactsOfAgents } from "@/lib/trust/store";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { decisionEvent, insertLeavesSql, leafColumns } from "@/lib/tlog/append";
import { entriesForDecision } from "@/lib/tlog/store";
import { verifyApprovalAssertion } from "@/lib/approvals/binding";
import { loadActiveRulesDocument } from "@/lib/policy/documents";
import type { ActiveRulesDocument } from "@/lib/policy/engine";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { notifyOrganization } from "@/lib/push/notify";
import { log } from "@/lib/log/logger";
import { allowListOf } from "./allow-list";
import { anomalyOf, EMPTY_STATS, updateStats, type AgentStats } from "./anomaly";
import { loadConfigs, peekConfigs, type AgentRecord, type ConfigView } from "./config-cache";
import { evaluateToolCall, type ToolCallVerdict } from "./engine";
import { argumentShape, canonicalJson, DEFAULT_SETTINGS, sha256Hex, type AnomalySignal, type Decision, type GatewaySettingsView, type Reason, type ReviewDecision } from "./model";
import { countCall, parseRateWindow, rateCounts } from "./rate-window";
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


/**
 * The agent a check is for: its seed 002 agent_id (or registry id). With an agent token it must be
 * the token's own agent (403 otherwise). An agent_id the organization has never seen is registered
 * (name = agent_id), so seed 002 clients work without a registration step (within the plan's agent limit).
 */
export async function resolveAgent(db: DbOrTx, organizationId: string, agentRef: string, tokenAgentId: string | null): Promise<AgentRecord> {
  const select = { id: true, name: true, aegisAgentId: true, status: true, toolAllowList: true } as const;
  let agent = await db.agent.findFirst({ where: { organizationId, aegisAgentId: agentRef }, select });
  if (!agent && UUID.test(agentRef)) agent = await db.agent.findFirst({ where: { organizationId, id: agentRef }, select });
  if (tokenAgentId !== null) {
    if (!agent || agent.id !== tokenAgentId) throw new ForbiddenError("This agent token is for another agent");
    return agent;
  }
  if (agent) return agent;
  await assertCanAdd(db, organizationId, "agents");
  try {
    return await db.agent.create({ data: { organizationId, name: agentRef.slice(0, 100), aegisAgentId: agentRef }, select });
  } catch (err) {
    if ((err as { code?: string }).code !== "P2002") throw err;
    const again = await db.agent.findFirst({ where: { organizationId, aegisAgentId: agentRef }, select });
    if (!again) throw err;
    return again;
  }
}

export async function documentsOf(db: DbOrTx, agentId: string): Promise<ActiveRulesDocument[]> {
  const signers = await db.signer.findMany({ where: { agentId, deletedAt: null }, select: { id: true } });
  const docs = await Promise.all(signers.map((s) => loadActiveRulesDocument(db, s.id)));
  return docs.filter((d): d is ActiveRulesDocument => d !== undefined);
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

/** A check waiting for its batch: what could be computed before the database (seal, digest, shape). */
type Queued = {
  input: CheckInput;
  id: string;
  traceId: string;
  shape: string;
  sealed: Prisma.InputJsonValue;
  digest: string;
  resolve(r: { view: CheckView; verdict: ToolCallVerdict }): void;
  reject(err: unknown): void;
};

/** Checks one transaction records at most. */
const MAX_BATCH = 256;

/**
 * Group commit: while one batch's transaction runs, the checks that arrive queue, and the next
 * transaction records all of them. Each check is answered only after the transaction holding its
 * row, trace, log leaf and statistics committed. One batch in flight per database client.
 */
class CheckBatcher {
  private queue: Queued[] = [];
  private running = false;
  constructor(private readonly db: Db) {}

  push(q: Queued) {
    this.queue.push(q);
    if (!this.running) void this.drain();
  }

  private async drain() {
    this.running = true;
    try {
      while (this.queue.length) await this.run(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
    }
  }

  /** A batch that fails as a whole is retried one check at a time, so one bad check fails alone. */
  private async run(batch: Queued[]) {
    try {
      await recordBatch(this.db, batch);
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else for (const q of batch) await this.run([q]);
    }
  }
}

const batchers = new WeakMap<Db, CheckBatcher>();

/** Decides one tool call and records it durably (group-committed with concurrent checks) before answering. */
export async function runCheck(db: Db, input: CheckInput): Promise<{ view: CheckView; verdict: ToolCallVerdict }> {
  const id = randomUUID();
  const plain = canonicalJson(input.arguments);
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new CheckBatcher(db)));
  const result = await new Promise<{ view: CheckView; verdict: ToolCallVerdict }>((resolve, reject) =>
    batcher.push({
      input,
      id,
      traceId: randomUUID(),
      shape: argumentShape(input.arguments),
      sealed: sealSecret(new TextEncoder().encode(plain), argumentsContext(id)) as unknown as Prisma.InputJsonValue,
      digest: sha256Hex(plain),
      resolve,
      reject,
    }),
  );
  const { view, verdict } = result;
  if (verdict.decision === "pending") {
    try {
      await notifyOrganization(db, { organizationId: input.organizationId, notificationId: id, title: "Tool call needs review", body: `${view.agent.name}: ${input.toolName} (${verdict.risk_level})`, url: `/gateway?check=${id}` });
    } catch (err) {
      log.warn("push notification could not be queued", { organizationId: input.organizationId, checkId: id, error: (err as Error).message });
    }
  }
  return result;
}

type StatsLockRow = StatsRow & { agent_id: string; rate_window: unknown };

/**
 * One transaction for a batch. With every organization and agent of the batch cached: one statement
 * checks the cached configuration versions and, only if they are current, creates and locks the
 * agents' statistics rows (one upsert, in agent order so instances never deadlock); else the
 * configuration is revalidated and reloaded (config-cache.ts), agents are resolved and registered,
 * then the rows are locked. Then the trust scores (one read), each check decided in arrival order
 * against the statistics as the previous checks left them, and one statement writing all check rows,
 * log leaves and traces and the statistics (writeDecided). Five statements, BEGIN and COMMIT
 * included, for any number of checks when the configuration is cached.
 */
type Decided = { q: Queued; agent: AgentRecord; verdict: ToolCallVerdict; now: Date; expiresAt: Date | null };

/** A decided check as its row: what the batch inserts and, unchanged, what the caller is answered. */
function checkRowOf({ q, agent, verdict, now, expiresAt }: Decided) {
  return {
    id: q.id,
    agentId: agent.id,
    agentRef: q.input.agentRef,
    toolName: q.input.toolName,
    argumentsDigest: q.digest,
    decision: verdict.decision,
    initialDecision: verdict.decision,
    policyName: verdict.policy_name,
    riskLevel: verdict.risk_level,
    category: verdict.classification.category,
    signals: verdict.classification.signals,
    anomalyScore: verdict.anomaly_score,
    anomalySignals: verdict.anomaly_signals,
    reasons: verdict.reasons,
    expiresAt,
    createdAt: now,
  };
}

/**
 * A batch's writes in one statement (data-modifying CTEs): the check rows, their log leaves, their
 * traces and the agents' statistics. Each leaf names the check, the agent and the verdict only
 * (public): tool names and the arguments digest (guessable for short arguments) stay in the row.
 */
async function writeDecided(tx: Tx, decided: readonly Decided[], updates: readonly Record<string, unknown>[], at: Date) {
  if (!decided.length && !updates.length) return;
  const checks = decided.map((d) => {
    const r = checkRowOf(d);
    return {
      id: r.id, organization_id: d.q.input.organizationId, agent_id: r.agentId, agent_ref: r.agentRef, tool_name: r.toolName, arguments_sealed: d.q.sealed, arguments_digest: r.argumentsDigest,
      decision: r.decision, initial_decision: r.initialDecision, policy_name: r.policyName, risk_level: r.riskLevel, category: r.category, signals: r.signals, anomaly_score: r.anomalyScore,
      anomaly_signals: r.anomalySignals, reasons: r.reasons, expires_at: r.expiresAt?.toISOString() ?? null, trace_id: d.q.traceId, created_at: r.createdAt.toISOString(),
    };
  });
  const traces = decided.map(({ q, verdict, now }) => ({
    id: q.traceId, organization_id: q.input.organizationId, agent_ref: q.input.agentRef, check_id: q.id, tool_name: q.input.toolName, decision: verdict.decision, blocked: verdict.decision === "block", payload_digest: q.digest, occurred_at: now.toISOString(),
  }));
  const leaves = leafColumns(decided.map(({ q, agent, verdict, now }) => decisionEvent({ kind: "gateway.check", organizationId: q.input.organizationId, decisionId: q.id, decision: verdict.decision, actor: { type: "agent", id: agent.id }, time: now })));
  await tx.$executeRawUnsafe(
    `WITH checks AS (
       INSERT INTO "gateway_checks" ("id", "organization_id", "agent_id", "agent_ref", "tool_name", "arguments_sealed", "arguments_digest", "decision", "initial_decision", "policy_name", "risk_level", "category", "signals", "anomaly_score", "anomaly_signals", "reasons", "expires_at", "trace_id", "created_at")
       SELECT "id", "organization_id", "agent_id", "agent_ref", "tool_name", "arguments_sealed", "arguments_digest", "decision", "initial_decision", "policy_name", "risk_level", "category", "signals", "anomaly_score", "anomaly_signals", "reasons", "expires_at", "trace_id", "created_at"
         FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "organization_id" uuid, "agent_id" uuid, "agent_ref" text, "tool_name" text, "arguments_sealed" jsonb, "arguments_digest" text, "decision" text, "initial_decision" text, "policy_name" text, "risk_level" text, "category" text, "signals" jsonb, "anomaly_score" float8, "anomaly_signals" jsonb, "reasons" jsonb, "expires_at" timestamptz, "trace_id" text, "created_at" timestamptz)
     ), traces AS (
       INSERT INTO "gateway_traces" ("id", "organization_id", "agent_ref", "check_id", "tool_name", "decision", "blocked", "payload_digest", "source", "occurred_at")
       SELECT "id", "organization_id", "agent_ref", "check_id", "tool_name", "decision", "blocked", "payload_digest", 'check', "occurred_at"
         FROM jsonb_to_recordset($2::jsonb) AS v("id" uuid, "organization_id" uuid, "agent_ref" text, "check_id" uuid, "tool_name" text, "decision" text, "blocked" boolean, "payload_digest" text, "occurred_at" timestamptz)
     ), stats AS (
       UPDATE "gateway_agent_stats" AS s SET "calls" = v.calls, "ewma_interval" = v.ewma_interval, "ewma_blocks" = v.ewma_blocks, "last_call_at" = v.last_call_at,
              "tools" = v.tools, "shapes" = v.shapes, "hours" = v.hours, "rate_window" = v.rate_window, "updated_at" = $3::timestamptz
         FROM jsonb_to_recordset($4::jsonb) AS v("agent_id" uuid, "calls" int, "ewma_interval" float8, "ewma_blocks" float8, "last_call_at" timestamptz, "tools" jsonb, "shapes" jsonb, "hours" jsonb, "rate_window" jsonb)
        WHERE s."agent_id" = v.agent_id
     ), leaves AS (
       ${insertLeavesSql(5)}
     )
     SELECT 1`,
    JSON.stringify(checks),
    JSON.stringify(traces),
    at,
    JSON.stringify(updates),
    ...leaves,
  );
}

/**
 * Creates the agents' statistics rows if needed and locks them until commit (an upsert locks the rows
 * it touches), returning them. With `versions` (the cached configuration's), only when every
 * organization's configuration version is still the one given — else nothing is locked and null
 * is returned: the caller revalidates and reloads, then locks.
 */
async function lockStats(tx: Tx, lockRows: readonly { a: string; o: string }[], at: Date, versions?: readonly { org: string; v: string }[]): Promise<StatsLockRow[] | null> {
  const guarded = versions !== undefined;
  const rows = await tx.$queryRawUnsafe<(StatsLockRow & { config_current: boolean })[]>(
    `WITH cfg AS (
       SELECT NOT EXISTS (
         SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS e("org" uuid, "v" text)
           LEFT JOIN "gateway_config_versions" g ON g."organization_id" = e."org"
          WHERE COALESCE(g."version"::text, '0') <> e."v") AS ok
     ), locked AS (
       INSERT INTO "gateway_agent_stats" ("agent_id", "organization_id", "updated_at")
       SELECT (x->>'a')::uuid, (x->>'o')::uuid, $1::timestamptz FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(x, n)
        WHERE (SELECT ok FROM cfg)
        ORDER BY n
       ON CONFLICT ("agent_id") DO UPDATE SET "agent_id" = EXCLUDED."agent_id"
       RETURNING "agent_id"::text AS agent_id, "calls", "ewma_interval", "ewma_blocks", "last_call_at", "tools", "shapes", "hours", "rate_window"
     )
     SELECT l.*, c.ok AS config_current FROM cfg c LEFT JOIN locked l ON true`,
    at,
    JSON.stringify(lockRows),
    JSON.stringify(versions ?? []),
  );
  if (guarded && !rows[0]?.config_current) return null;
  return rows.filter((r) => r.agent_id !== null);
}

async function recordBatch(db: Db, batch: Queued[]) {
  const failed = new Map<Queued, unknown>();
  const decided: Decided[] = [];
  let configs: ConfigView | undefined;

  await db.$transaction(async (tx) => {
    failed.clear();
    decided.length = 0;
    const orgs = [...new Set(batch.map((q) => q.input.organizationId))];
    const agentsOf = (view: ConfigView) => {
      const agentOf = new Map<Queued, AgentRecord>();
      for (const q of batch) {
        const agent = view.get(q.input.organizationId).agents.get(q.input.agentRef);
        if (q.input.tokenAgentId !== null && (!agent || agent.id !== q.input.tokenAgentId)) failed.set(q, new ForbiddenError("This agent token is for another agent"));
        else if (!agent) failed.set(q, new Error(`agent ${q.input.agentRef} could not be registered`));
        else agentOf.set(q, agent);
      }
      const live = batch.filter((q) => agentOf.has(q));
      // Each agent's statistics row once, in agent order (instances lock in the same order: no deadlock).
      const lockRows = [...new Map(live.map((q) => [agentOf.get(q)!.id, q.input.organizationId])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([a, o]) => ({ a, o }));
      return { agentOf, live, lockRows };
    };
    const lockedAt = new Date();
    let statsRows: StatsLockRow[] | null = null;
    let resolved: ReturnType<typeof agentsOf> | undefined;
    // Everything cached: one statement validates the cached versions and, only if they are all
    // current, creates and locks the statistics rows. Otherwise (or if a check would fail on the
    // cached view) the configuration is revalidated and reloaded first.
    const peek = peekConfigs(db, batch.map((q) => ({ organizationId: q.input.organizationId, ref: q.input.agentRef })));
    if (peek) {
      const r = agentsOf(peek.view);
      if (r.live.length === batch.length) {
        statsRows = await lockStats(tx, r.lockRows, lockedAt, peek.versions);
        if (statsRows) {
          configs = peek.view;
          resolved = r;
        }
      }
      failed.clear();
    }
    if (!configs || !resolved) {
      configs = await loadConfigs(db, tx, orgs);
      for (const org of orgs) {
        const mine = batch.filter((q) => q.input.organizationId === org);
        await configs.agents(org, mine.map((q) => ({ ref: q.input.agentRef, register: q.input.tokenAgentId === null })));
      }
      resolved = agentsOf(configs);
      if (!resolved.live.length) return;
      statsRows = await lockStats(tx, resolved.lockRows, lockedAt);
    }
    const { agentOf } = resolved;
    if (!statsRows) throw new Error("statistics rows were not locked");
    // The plan's checks per month: one upsert per organization (in organization order, after the
    // statistics rows, as on every instance), which grants the first of its checks in arrival order
    // and keeps the counter row locked until commit.
    for (const org of [...new Set(resolved.live.map((q) => q.input.organizationId))].sort()) {
      const mine = resolved.live.filter((q) => q.input.organizationId === org);
      const { granted, refusal } = await admitChecks(tx, org, mine.length);
      for (const q of mine.slice(granted)) {
        agentOf.delete(q);
        failed.set(q, refusal ?? new Error("check not admitted"));
      }
    }
    const live = resolved.live.filter((q) => agentOf.has(q));
    if (!live.length) return;
    const batchNow = new Date();
    const stats = new Map(statsRows.map((r) => [r.agent_id, { stats: statsOf(r), rate: parseRateWindow(r.rate_window), dirty: false }]));
    // Trust scores change with every reported outcome: read each batch, not cached with the configuration.
    const trustAt = await trustFactsOfAgents(tx, [...stats.keys()]);

    for (const q of live) {
      const agent = agentOf.get(q)!;
      const cfg = configs.get(q.input.organizationId);
      const st = stats.get(agent.id)!;
      const now = q.input.now ?? batchNow;
      const anomaly = anomalyOf(st.stats, { tool: q.input.toolName, shape: q.shape, now });
      const verdict = evaluateToolCall({
        call: { tool_name: q.input.toolName, arguments: q.input.arguments },
        organizationId: q.input.organizationId,
        agent: { ...agent, toolAllowList: allowListOf(agent.toolAllowList) },
        policies: cfg.policies,
        documents: cfg.documents.get(agent.id) ?? [],
        anomaly,
        anomalyThreshold: cfg.settings.anomalyThreshold,
        rate: { ...rateCounts(st.rate, q.input.toolName, now, RATE_WINDOW_SECONDS), agentLimit: cfg.settings.agentRatePerMinute, toolLimit: cfg.settings.toolRatePerMinute, windowSeconds: RATE_WINDOW_SECONDS },
        now,
        trust: trustAt(agent.id, now.getTime()),
      });
      if (verdict.policy_name !== "rate_limited") {
        st.stats = updateStats(st.stats, { tool: q.input.toolName, shape: q.shape, now, blocked: verdict.decision === "block" });
        st.rate = countCall(st.rate, q.input.toolName, now, RATE_WINDOW_SECONDS);
        st.dirty = true;
      }
      decided.push({ q, agent, verdict, now, expiresAt: verdict.decision === "pending" ? new Date(now.getTime() + cfg.settings.pendingTtlSeconds * 1000) : null });
    }

    const updates = [...stats.entries()].filter(([, s]) => s.dirty).map(([agentId, { stats: s, rate }]) => ({
      agent_id: agentId, calls: s.calls, ewma_interval: s.ewmaInterval, ewma_blocks: s.ewmaBlocks, last_call_at: s.lastCallAt?.toISOString() ?? null, tools: s.tools, shapes: s.shapes, hours: s.hours, rate_window: rate,
    }));
    await writeDecided(tx, decided, updates, batchNow);
    // Countersign's own evidence: a blocked call counts against the agent's security score (when its organization turned it on).
    const blocked = decided.filter((d) => d.verdict.decision === "block");
    if (blocked.length) await recordEvidence(tx, blocked.map((d) => ({ agentId: d.agent.id, kind: "gateway.blocked" as const, ref: d.q.id, at: d.now.getTime() })));
    // Under load every batch queues for a connection (the embedded database has one): wait rather than fail.
  }, { maxWait: 15_000, timeout: 15_000 });

  configs?.commit();
  for (const [q, err] of failed) q.reject(err);
  for (const d of decided) {
    const view = checkView({ ...checkRowOf(d), decidedBy: null, decidedAt: null, agent: { name: d.agent.name } });
    d.q.resolve({ view, verdict: d.verdict });
  }
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

/** The leaf index of the check's verdict in the transparency log (kind gateway.check); null until sequenced. */
export async function checkLeafIndex(db: DbOrTx, checkId: string): Promise<number | null> {
  const entry = (await entriesForDecision(db, checkId)).find((e) => e.kind === "gateway.check");
  return entry?.leafIndex ?? null;
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
  /**
   * A reviewer signed in with a session: allowing a check of risk HIGH or CRITICAL needs a fresh
   * passkey assertion bound to the check and its arguments digest (X-Countersign-Assertion, from
   * POST /api/v1/approvals/challenge {gatewayCheckId}), as accepting a transaction above the
   * organization's threshold does. API keys (gateway:review) decide without one, as seed 002 says.
   */
  passkey?: { userId: string; assertionHeader: string | null };
};

/** Risk levels whose allow needs the reviewer's passkey (session reviewers). */
export const PASSKEY_RISK_LEVELS: readonly RiskLevel[] = ["HIGH", "CRITICAL"];

export class GatewayPasskeyRequiredError extends ForbiddenError {
  constructor(risk: string) {
    super(`Allowing this ${risk}-risk tool call needs your passkey: confirm with your passkey (POST /api/v1/approvals/challenge {gatewayCheckId}, then send X-Countersign-Assertion)`, undefined, { code: "PASSKEY_REQUIRED" });
  }
}

/** A human resolves a pending check. First decision wins: later ones (and expired checks) answer 409. */
export async function decideCheck(db: Db, input: DecideInput): Promise<CheckView> {
  const row = await findRow(db, input.organizationId, input.id, null);
  const now = new Date();
  const current = await expireIfDue(db, row, now);
  let withPasskey = false;
  if (input.passkey && input.decision === "allow" && current.decision === "pending") {
    if (input.passkey.assertionHeader) {
      await verifyApprovalAssertion(db, { organizationId: input.organizationId, userId: input.passkey.userId, requestId: row.id, subjectHash: row.argumentsDigest, header: input.passkey.assertionHeader });
      withPasskey = true;
    } else if (PASSKEY_RISK_LEVELS.includes(row.riskLevel as RiskLevel)) {
      throw new GatewayPasskeyRequiredError(row.riskLevel);
    }
  }
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
      details: { decision: input.decision, decidedBy: input.decidedBy, via: input.via, tool: row.toolName, agentId: row.agentId, argumentsDigest: row.argumentsDigest, riskLevel: row.riskLevel, withPasskey },
      context: input.context,
    });
    await recordEvidence(tx, [{ agentId: row.agentId, kind: input.decision === "allow" ? "gateway.review_allowed" : "gateway.review_blocked", ref: input.id, at: now.getTime() }]);
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
