/** Response shapes of the seed 002 routes (pure). */
import type { CheckView } from "./checks";

/**
 * Where the verdict is in the transparency log: its leaf (kind gateway.check) commits with the check;
 * the sequencer gives it `leaf_index` shortly after (null until then), `proof` returns its tlog-proof.
 */
export function logRef(checkId: string, leafIndex: number | null) {
  return { decision_id: checkId, leaf_index: leafIndex, proof: `/api/v1/transparency-log/decisions/${checkId}` };
}

/** POST /check answers before the sequencer runs: `log.leaf_index` is null there (read it from GET /check/{id}/decision). */
export function checkResponse(v: CheckView, leafIndex: number | null = null) {
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
    log: logRef(v.check_id, leafIndex),
  };
}

export function decisionResponse(v: CheckView, leafIndex?: number | null) {
  return { check_id: v.check_id, decision: v.decision, decided_by: v.decided_by, decided_at: v.decided_at, policy_name: v.policy_name, risk_level: v.risk_level, expires_at: v.expires_at, reasons: v.reasons, ...(leafIndex !== undefined ? { log: logRef(v.check_id, leafIndex) } : {}) };
}
