/** Response shapes of the seed 002 routes (pure). */
import type { CheckView } from "./checks";

export function checkResponse(v: CheckView) {
  return {
    decision: v.decision,
    policy_name: v.policy_name,
    risk_level: v.risk_level,
    classification: { category: v.classification.category, signals: v.classification.signals },
    anomaly_score: v.anomaly_score,
    check_id: v.check_id,
    reasons: v.reasons,
    anomaly_signals: v.anomaly_signals,
    ...(v.decision === "pending" && v.expires_at ? { expires_at: v.expires_at } : {}),
    log: { decision_id: v.check_id, proof: `/api/v1/transparency-log/decisions/${v.check_id}` },
  };
}

export function decisionResponse(v: CheckView) {
  return { check_id: v.check_id, decision: v.decision, decided_by: v.decided_by, decided_at: v.decided_at, policy_name: v.policy_name, risk_level: v.risk_level, expires_at: v.expires_at, reasons: v.reasons };
}
