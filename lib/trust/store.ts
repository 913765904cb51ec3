/**
 * Trust scores in the database (issue #15). Every write folds one event into `trust_profiles` under
 * a row lock (`SELECT … FOR UPDATE`), so concurrent reports from several instances serialize, and
 * records the event with its inputs (`trust_events`, `trust_transactions`, `trust_configs`):
 * `recomputeAgent` rebuilds the score from those alone.
 */
import { randomBytes } from "node:crypto";
import { assertCanAdd } from "@/lib/billing/limits";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import type { TrustFacts } from "@/lib/policy/rules";
import { ForbiddenError, NotFoundError } from "@/lib/http/errors";
import {
  applyConfigChange,
  applyEvent,
  applyTransaction,
  changeTypeOf,
  compositeOf,
  fingerprintOf,
  initialState,
  operatorScore,
  recompute,
  sidFromBytes,
  stateAt,
  viewOf,
  type AgentConfig,
  type ChangeType,
  type Outcome,
  type ScoreView,
  type Signals,
  type TrustEvent,
  type TrustState,
} from "./model";

export const AGENT_NOT_FOUND = "Agent not found";
export const NOT_OWNER = "Forbidden: you do not own this agent";

type ProfileRow = Prisma.TrustProfileGetPayload<object>;
type AgentWithProfile = Prisma.AgentGetPayload<{ include: { trustProfile: true; organization: true } }>;
export type Found = AgentWithProfile & { trustProfile: ProfileRow };

export function stateOf(p: ProfileRow): TrustState {
  return {
    dims: { reliability: p.reliability, quality: p.quality, financial: p.financial, security: p.security, stability: p.stability },
    n: p.txCount,
    registeredAt: p.registeredAt.getTime(),
    lastActivityAt: p.lastActivityAt.getTime(),
    weeksApplied: p.weeksApplied,
  };
}

function stateColumns(s: TrustState) {
  return { ...s.dims, txCount: s.n, registeredAt: new Date(s.registeredAt), lastActivityAt: new Date(s.lastActivityAt), weeksApplied: s.weeksApplied };
}

function configColumns(c: AgentConfig) {
  return {
    modelProvider: c.modelProvider,
    modelName: c.modelName,
    systemPromptHash: c.systemPromptHash ?? null,
    tools: [...(c.tools ?? [])],
    memoryConfig: (c.memoryConfig ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

function configOf(p: { modelProvider: string; modelName: string; systemPromptHash: string | null; tools: string[]; memoryConfig: unknown }): AgentConfig {
  return { modelProvider: p.modelProvider, modelName: p.modelName, systemPromptHash: p.systemPromptHash, tools: p.tools, memoryConfig: p.memoryConfig ?? null };
}

/** An agent by SID with its trust profile, or 404 "Agent not found" (also when it has no profile yet). */
export async function findBySid(db: DbOrTx, sid: string): Promise<Found> {
  const a = await db.agent.findUnique({ where: { signetSid: sid }, include: { trustProfile: true, organization: true } });
  if (!a?.trustProfile) throw new NotFoundError(AGENT_NOT_FOUND);
  return a as Found;
}

/** 404 for an unknown SID, 403 "Forbidden: you do not own this agent" for another organization's. */
export async function findOwned(db: DbOrTx, sid: string, organizationId: string): Promise<Found> {
  const a = await findOwnedAgent(db, sid, organizationId);
  if (!a.trustProfile) throw new NotFoundError(AGENT_NOT_FOUND);
  return a as Found;
}

/** As `findOwned`, but also an agent that has a SID (given in the Agent registry) and no trust profile yet. */
export async function findOwnedAgent(db: DbOrTx, sid: string, organizationId: string): Promise<AgentWithProfile> {
  const a = await db.agent.findUnique({ where: { signetSid: sid }, include: { trustProfile: true, organization: true } });
  if (!a) throw new NotFoundError(AGENT_NOT_FOUND);
  if (a.organizationId !== organizationId) throw new ForbiddenError(NOT_OWNER);
  return a;
}

/**
 * An agent whose SID was set in the Agent registry (PATCH /api/v1/agents/{id}) gets its trust
 * profile with its first configuration (POST /agents/{sid}/config): 500 everywhere, as at /register.
 */
export async function startProfile(db: Db, agent: AgentWithProfile, config: AgentConfig, who: Actor, now = Date.now()) {
  const fingerprint = fingerprintOf(config);
  const s = initialState(now);
  await db.$transaction(async (tx) => {
    await tx.trustProfile.create({ data: { agentId: agent.id, organizationId: agent.organizationId, ...stateColumns(s), fingerprint, ...configColumns(config), lastUpdated: new Date(now) } });
    await tx.trustConfig.create({ data: { agentId: agent.id, fingerprint, ...configColumns(config), changeType: null, createdAt: new Date(now) } });
    await addEvent(tx, agent.id, s, { kind: "register", eventType: "registered", at: now });
    await recordAudit(tx, { organizationId: agent.organizationId, ...who, action: "trust.agent_registered", resourceType: "agent", resourceId: agent.id, details: { sid: agent.signetSid, fingerprint } });
  });
  return { changeType: null, fingerprint, view: viewOf(s, now) };
}

async function lockProfile(tx: Tx, agentId: string): Promise<ProfileRow> {
  await tx.$queryRaw`SELECT "agent_id" FROM "trust_profiles" WHERE "agent_id" = ${agentId}::uuid FOR UPDATE`;
  return tx.trustProfile.findUniqueOrThrow({ where: { agentId } });
}

async function addEvent(tx: Tx, agentId: string, s: TrustState, e: { kind: TrustEvent["kind"] | "inactivity"; eventType: string; at: number; transactionId?: number; changeType?: ChangeType }) {
  await tx.trustEvent.create({
    data: { agentId, kind: e.kind, eventType: e.eventType, transactionId: e.transactionId ?? null, changeType: e.changeType ?? null, ...s.dims, composite: compositeOf(s.dims), createdAt: new Date(e.at) },
  });
}

export type Actor = { actor: AuditActor; context?: AuditContext };

// --- Writes ---

export type RegisterInput = AgentConfig & { name: string; description?: string | null };

/** POST /register: a new Agent with a SID and a trust profile at 500 in every dimension. */
export async function registerAgent(db: Db, organizationId: string, input: RegisterInput, who: Actor, now = Date.now()) {
  const fingerprint = fingerprintOf(input);
  const s = initialState(now);
  return db.$transaction(async (tx) => {
    await assertCanAdd(tx, organizationId, "agents");
    const sid = sidFromBytes(randomBytes(8));
    const agent = await tx.agent.create({ data: { organizationId, name: input.name, description: input.description ?? null, signetSid: sid } });
    await tx.trustProfile.create({ data: { agentId: agent.id, organizationId, ...stateColumns(s), fingerprint, ...configColumns(input), lastUpdated: new Date(now) } });
    await tx.trustConfig.create({ data: { agentId: agent.id, fingerprint, ...configColumns(input), changeType: null, createdAt: new Date(now) } });
    await addEvent(tx, agent.id, s, { kind: "register", eventType: "registered", at: now });
    await recordAudit(tx, { organizationId, ...who, action: "trust.agent_registered", resourceType: "agent", resourceId: agent.id, details: { sid, fingerprint } });
    return { sid, agent, fingerprint, view: viewOf(s, now) };
  });
}

export type TransactionInput = { transactionType: string; outcome: Outcome; signals: Signals; metadata?: unknown; source?: "reported" | "countersign" };

/** POST /transactions: records the outcome and folds it into the score. */
export async function recordTransaction(db: Db, agentId: string, input: TransactionInput, now = Date.now()) {
  return db.$transaction((tx) => foldTransaction(tx, agentId, input, now));
}

/**
 * Records one outcome and folds it into the score inside the caller's transaction (under the
 * profile's row lock): POST /transactions, and Countersign's own evidence written with the decision
 * it comes from (lib/trust/evidence.ts).
 */
export async function foldTransaction(tx: Tx, agentId: string, input: TransactionInput, now = Date.now()) {
  const p = await lockProfile(tx, agentId);
  const at = Math.max(now, p.lastUpdated.getTime());
  const s = applyTransaction(stateOf(p), { at, outcome: input.outcome, signals: input.signals });
  const row = await tx.trustTransaction.create({
    data: {
      agentId,
      transactionType: input.transactionType,
      outcome: input.outcome,
      reliabilitySignal: input.signals.reliability ?? null,
      qualitySignal: input.signals.quality ?? null,
      financialSignal: input.signals.financial ?? null,
      securitySignal: input.signals.security ?? null,
      metadata: (input.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
      source: input.source ?? "reported",
      createdAt: new Date(at),
    },
  });
  await addEvent(tx, agentId, s, { kind: "transaction", eventType: `transaction:${input.outcome}`, at, transactionId: row.id });
  await tx.trustProfile.update({ where: { agentId }, data: { ...stateColumns(s), lastUpdated: new Date(at) } });
  return { transactionId: row.id, view: viewOf(s, at) };
}

/** POST /agents/{sid}/config: detects the largest change and decays the score by it. */
export async function updateConfig(db: Db, found: Found, config: AgentConfig, who: Actor, now = Date.now()) {
  const agentId = found.id;
  return db.$transaction(async (tx) => {
    const p = await lockProfile(tx, agentId);
    const changeType = changeTypeOf(configOf(p), config);
    if (changeType === null) return { changeType, fingerprint: p.fingerprint, view: viewOf(stateOf(p), now) };
    const at = Math.max(now, p.lastUpdated.getTime());
    const fingerprint = fingerprintOf(config);
    const s = applyConfigChange(stateOf(p), { at, changeType });
    await tx.trustConfig.create({ data: { agentId, fingerprint, ...configColumns(config), changeType, createdAt: new Date(at) } });
    await addEvent(tx, agentId, s, { kind: "config_change", eventType: `config_change:${changeType}`, at, changeType });
    await tx.trustProfile.update({ where: { agentId }, data: { ...stateColumns(s), fingerprint, ...configColumns(config), memoryConfig: (config.memoryConfig ?? null) as Prisma.InputJsonValue, lastUpdated: new Date(at) } });
    await recordAudit(tx, { organizationId: found.organizationId, ...who, action: "trust.config_changed", resourceType: "agent", resourceId: agentId, details: { sid: found.signetSid, changeType, fingerprint } });
    return { changeType, fingerprint, view: viewOf(s, at) };
  });
}

// --- Reads ---

export type OperatorView = { name: string; score: number; verified: boolean };

/** An organization as seed 001's operator: its name, score over its active agents and verified flag. */
export async function operatorOf(db: DbOrTx, organization: { id: string; name: string }, now = Date.now()): Promise<OperatorView> {
  const profiles = await db.trustProfile.findMany({ where: { organizationId: organization.id, agent: { status: "active" } } });
  const score = operatorScore(profiles.map((p) => ({ composite: viewOf(stateOf(p), now).composite, n: p.txCount })));
  const scim = await db.credential.count({ where: { organizationId: organization.id, kind: "scim_token", revokedAt: null } });
  return { name: organization.name, score, verified: scim > 0 };
}

export function scoreBody(view: ScoreView) {
  return {
    composite_score: view.composite,
    dimensions: { reliability: view.reliability, quality: view.quality, financial: view.financial, security: view.security, stability: view.stability },
    confidence: view.confidence,
    recommendation: view.recommendation,
  };
}

export async function scoreOf(db: DbOrTx, found: Found, now = Date.now()) {
  const p = found.trustProfile;
  const view = viewOf(stateOf(p), now);
  return { view, operator: await operatorOf(db, found.organization, now), profile: p };
}

export const SCORE_HISTORY_LIMIT = 50;
export const CONFIG_HISTORY_LIMIT = 20;

export async function reportOf(db: DbOrTx, found: Found, now = Date.now()) {
  const agentId = found.id;
  const events = (await db.trustEvent.findMany({ where: { agentId }, orderBy: { seq: "desc" }, take: SCORE_HISTORY_LIMIT })).reverse();
  const configs = (await db.trustConfig.findMany({ where: { agentId }, orderBy: { seq: "desc" }, take: CONFIG_HISTORY_LIMIT })).reverse();
  const outcomes = await db.trustTransaction.groupBy({ by: ["outcome"], where: { agentId }, _count: { _all: true } });
  const bySource = await db.trustTransaction.groupBy({ by: ["source"], where: { agentId }, _count: { _all: true } });
  return { ...(await scoreOf(db, found, now)), events, configs, outcomes, bySource };
}

/** GET /me: the organization's integer operator id (created on first use), its owner's email and its agents. */
export async function operatorProfile(db: DbOrTx, organizationId: string, now = Date.now()) {
  await db.trustOperator.upsert({ where: { organizationId }, create: { organizationId }, update: {} });
  const op = await db.trustOperator.findUniqueOrThrow({ where: { organizationId }, include: { organization: true } });
  const owner = await db.membership.findFirst({ where: { organizationId, role: "owner" }, orderBy: { createdAt: "asc" }, include: { user: true } });
  const agents = await db.agent.findMany({ where: { organizationId, trustProfile: { isNot: null } }, include: { trustProfile: true }, orderBy: { createdAt: "asc" } });
  return { operatorId: op.operatorId, organization: op.organization, email: owner?.user.email ?? null, operator: await operatorOf(db, op.organization, now), agents: agents.map((a) => ({ agent: a, view: viewOf(stateOf(a.trustProfile!), now) })) };
}

/** The score as the Agent registry shows it (GET /api/v1/agents/{id}), or null without a trust profile. */
export async function trustSummary(db: DbOrTx, agentId: string, now = Date.now()) {
  const p = await db.trustProfile.findUnique({ where: { agentId }, include: { agent: true } });
  if (!p?.agent.signetSid) return null;
  const v = viewOf(stateOf(p), now);
  return {
    sid: p.agent.signetSid,
    composite: v.composite,
    reliability: v.reliability,
    quality: v.quality,
    financial: v.financial,
    security: v.security,
    stability: v.stability,
    confidence: v.confidence,
    recommendation: v.recommendation,
    identityLevel: p.identityLevel,
    transactions: p.txCount,
    fingerprint: p.fingerprint,
    lastUpdated: p.lastUpdated.toISOString(),
  };
}

/** What rules documents see of an agent's score (`trust.*` fields, lib/policy), or null without one. */
export async function trustFacts(db: DbOrTx, agentId: string | null | undefined, now = Date.now()): Promise<TrustFacts | null> {
  if (!agentId) return null;
  const p = await db.trustProfile.findUnique({ where: { agentId } });
  if (!p) return null;
  const v = viewOf(stateOf(p), now);
  return { composite: v.composite, reliability: v.reliability, quality: v.quality, financial: v.financial, security: v.security, stability: v.stability, confidence: v.confidence, recommendation: v.recommendation };
}

/** Many agents' scores in one read, each evaluated at the time it is asked for (a batch of gateway checks). */
export async function trustFactsOfAgents(db: DbOrTx, agentIds: readonly string[]): Promise<(agentId: string, now: number) => TrustFacts | null> {
  const rows = agentIds.length ? await db.trustProfile.findMany({ where: { agentId: { in: [...new Set(agentIds)] } } }) : [];
  const states = new Map(rows.map((p) => [p.agentId, stateOf(p)]));
  return (agentId, now) => {
    const state = states.get(agentId);
    if (!state) return null;
    const v = viewOf(state, now);
    return { composite: v.composite, reliability: v.reliability, quality: v.quality, financial: v.financial, security: v.security, stability: v.stability, confidence: v.confidence, recommendation: v.recommendation };
  };
}

// --- Recompute and the inactivity sweep ---

/** An agent's scoring history (events with their transactions' signals), oldest first. */
export async function historyOf(db: DbOrTx, agentId: string): Promise<TrustEvent[]> {
  const events = await db.trustEvent.findMany({ where: { agentId, kind: { not: "inactivity" } }, orderBy: { seq: "asc" } });
  const txIds = events.flatMap((e) => (e.transactionId === null ? [] : [e.transactionId]));
  const txs = new Map((await db.trustTransaction.findMany({ where: { id: { in: txIds } } })).map((t) => [t.id, t]));
  return events.map((e): TrustEvent => {
    const at = e.createdAt.getTime();
    if (e.kind === "register") return { kind: "register", at };
    if (e.kind === "config_change") return { kind: "config_change", at, changeType: e.changeType as ChangeType };
    const t = txs.get(e.transactionId!)!;
    const signals: Signals = {};
    if (t.reliabilitySignal !== null) signals.reliability = t.reliabilitySignal;
    if (t.qualitySignal !== null) signals.quality = t.qualitySignal;
    if (t.financialSignal !== null) signals.financial = t.financialSignal;
    if (t.securitySignal !== null) signals.security = t.securitySignal;
    return { kind: "transaction", at, outcome: t.outcome as Outcome, signals };
  });
}

/** Rebuilds an agent's state from its stored history alone (events, with their transactions' signals). */
export async function recomputeAgent(db: DbOrTx, agentId: string): Promise<TrustState> {
  return recompute(await historyOf(db, agentId));
}

/**
 * The score as it was at any moment, from the history (for the policy backtest): null before the
 * agent was registered, or for an agent without a trust score.
 */
export async function trustTimeline(db: DbOrTx, agentId: string | null | undefined): Promise<(at: Date) => TrustFacts | null> {
  if (!agentId) return () => null;
  const events = await historyOf(db, agentId);
  const states: { at: number; state: TrustState }[] = [];
  let s: TrustState | null = null;
  for (const e of events) {
    s = applyEvent(s, e);
    states.push({ at: e.at, state: s });
  }
  return (at) => {
    const t = at.getTime();
    let lo = 0;
    let hi = states.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (states[mid]!.at <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const v = viewOf(states[found]!.state, t);
    return { composite: v.composite, reliability: v.reliability, quality: v.quality, financial: v.financial, security: v.security, stability: v.stability, confidence: v.confidence, recommendation: v.recommendation };
  };
}

/**
 * The daily inactivity sweep: for every profile with a new whole week of inactivity, an `inactivity`
 * history event with the dimensions a read computes lazily at that moment. The folded state is left
 * as it is (the decay is always computed from it), so swept and lazy reads give identical scores.
 */
export async function sweepInactivity(db: Db, now = Date.now()): Promise<number> {
  const profiles = await db.trustProfile.findMany({ where: { lastActivityAt: { lt: new Date(now - 37 * 86_400_000) } } });
  let written = 0;
  for (const p of profiles) {
    const s = stateAt(stateOf(p), now);
    if (s.weeksApplied <= p.weeksApplied) continue;
    const eventType = `inactivity:week_${s.weeksApplied}`;
    const seen = await db.trustEvent.findFirst({ where: { agentId: p.agentId, kind: "inactivity", eventType, createdAt: { gt: p.lastUpdated } } });
    if (seen) continue;
    await db.$transaction((tx) => addEvent(tx, p.agentId, s, { kind: "inactivity", eventType, at: now }));
    written++;
  }
  return written;
}

export const CHART_HISTORY_LIMIT = 100;

/**
 * An agent's score history and configuration history for the dashboard (session or organization
 * key, agents:read): the last 100 score events and the last 20 configurations, oldest first. Empty
 * for an agent without a trust score; 404 for another organization's agent.
 */
export async function trustHistoryOf(db: DbOrTx, organizationId: string, agentId: string) {
  const agent = await db.agent.findFirst({ where: { id: agentId, organizationId }, select: { id: true, signetSid: true, trustProfile: { select: { agentId: true } } } });
  if (!agent) throw new NotFoundError("Agent not found");
  if (!agent.trustProfile) return { sid: agent.signetSid, events: [], configs: [] };
  const events = (await db.trustEvent.findMany({ where: { agentId }, orderBy: { seq: "desc" }, take: CHART_HISTORY_LIMIT })).reverse();
  const txIds = events.flatMap((e) => (e.transactionId === null ? [] : [e.transactionId]));
  const sources = new Map((await db.trustTransaction.findMany({ where: { id: { in: txIds } }, select: { id: true, source: true, transactionType: true } })).map((t) => [t.id, t]));
  const configs = (await db.trustConfig.findMany({ where: { agentId }, orderBy: { seq: "desc" }, take: CONFIG_HISTORY_LIMIT })).reverse();
  return {
    sid: agent.signetSid,
    events: events.map((e) => ({
      at: e.createdAt.toISOString(),
      eventType: e.eventType,
      kind: e.kind,
      source: e.transactionId === null ? null : ((sources.get(e.transactionId)?.source ?? null) as "reported" | "countersign" | null),
      transactionType: e.transactionId === null ? null : (sources.get(e.transactionId)?.transactionType ?? null),
      composite: e.composite,
      reliability: Math.round(e.reliability),
      quality: Math.round(e.quality),
      financial: Math.round(e.financial),
      security: Math.round(e.security),
      stability: Math.round(e.stability),
    })),
    configs: configs.map((c) => ({ at: c.createdAt.toISOString(), changeType: c.changeType, fingerprint: c.fingerprint, modelProvider: c.modelProvider, modelName: c.modelName, tools: c.tools })),
  };
}
