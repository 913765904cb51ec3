/** Seed 001 response bodies (snake_case, ISO 8601 times, integer ids). */
import { createHash } from "node:crypto";
import type { IdentityLevel, ScoreView } from "./model";
import { compositeOf } from "./model";
import type { Found, OperatorView, operatorProfile, reportOf } from "./store";

const iso = (d: Date) => d.toISOString();
const level = (n: number) => (n === 1 || n === 2 ? n : 0) as IdentityLevel;

export function scoreResponse(found: Found, view: ScoreView, operator: OperatorView) {
  const p = found.trustProfile;
  return {
    sid: found.signetSid!,
    agent_name: found.name,
    composite_score: view.composite,
    reliability: view.reliability,
    quality: view.quality,
    financial: view.financial,
    security: view.security,
    stability: view.stability,
    confidence: view.confidence,
    recommendation: view.recommendation,
    identity_level: level(p.identityLevel),
    operator,
    config_fingerprint: p.fingerprint,
    last_updated: iso(p.lastUpdated),
  };
}

export function publicResponse(found: Found, view: ScoreView) {
  return {
    sid: found.signetSid!,
    agent_name: found.name,
    composite_score: view.composite,
    confidence: view.confidence,
    recommendation: view.recommendation,
    identity_level: level(found.trustProfile.identityLevel),
    operator_name: found.organization.name,
  };
}

export function reportResponse(found: Found, r: Awaited<ReturnType<typeof reportOf>>) {
  const v = r.view;
  const round = (x: number) => Math.round(x);
  return {
    sid: found.signetSid!,
    agent_name: found.name,
    description: found.description,
    status: found.status,
    current_score: { composite: v.composite, reliability: v.reliability, quality: v.quality, financial: v.financial, security: v.security, stability: v.stability, confidence: v.confidence, recommendation: v.recommendation },
    operator: r.operator,
    score_history: r.events.map((e) => ({
      composite: compositeOf(e),
      reliability: round(e.reliability),
      quality: round(e.quality),
      financial: round(e.financial),
      security: round(e.security),
      stability: round(e.stability),
      event_type: e.eventType,
      timestamp: iso(e.createdAt),
    })),
    config_history: r.configs.map((c) => ({ fingerprint: c.fingerprint, model_provider: c.modelProvider, model_name: c.modelName, change_type: c.changeType, timestamp: iso(c.createdAt) })),
    transaction_summary: {
      total: r.outcomes.reduce((t, o) => t + o._count._all, 0),
      outcomes: Object.fromEntries(r.outcomes.map((o) => [o.outcome, o._count._all])),
      sources: Object.fromEntries(r.bySource.map((o) => [o.source, o._count._all])),
    },
    last_updated: iso(found.trustProfile.lastUpdated),
  };
}

/** seed 001's `api_key_prefix`: 8 hex characters naming the key (the first 8 of SHA-256 of its public id). */
export function apiKeyPrefix(publicId: string): string {
  return createHash("sha256").update(publicId, "utf8").digest("hex").slice(0, 8);
}

export function meResponse(m: Awaited<ReturnType<typeof operatorProfile>>, keyPublicId: string) {
  return {
    operator: {
      id: m.operatorId,
      name: m.organization.name,
      email: m.email,
      operator_score: m.operator.score,
      verified: m.operator.verified,
      api_key_prefix: apiKeyPrefix(keyPublicId),
      created_at: iso(m.organization.createdAt),
    },
    agents: m.agents.map(({ agent, view }) => ({
      sid: agent.signetSid!,
      name: agent.name,
      description: agent.description,
      composite_score: view.composite,
      confidence: view.confidence,
      recommendation: view.recommendation,
      status: agent.status,
      created_at: iso(agent.createdAt),
    })),
  };
}
