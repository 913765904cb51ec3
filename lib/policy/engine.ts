import { evaluateBuiltins } from "./builtin";
import { decodeRequest } from "./decode";
import { describeRule } from "./describe";
import { evaluateRules, type CompiledRules, type TrustFacts } from "./rules";
import type {
  ActivePolicy,
  ApprovalReason,
  DecodedRequest,
  PolicyDecision,
  PolicyRequest,
  UsageSnapshot,
  Violation,
} from "./types";

/** The signer's active rules document, compiled once per version with `compileRules`. */
export interface ActiveRulesDocument {
  id: string;
  version: number;
  rules: CompiledRules;
}

export interface EvaluateInput {
  request: PolicyRequest | DecodedRequest;
  policies: readonly ActivePolicy[];
  document?: ActiveRulesDocument | undefined;
  usage: UsageSnapshot;
  now: Date;
  /** The signer's agent's trust score at `now` (seed 001), for rules naming `trust.*`; null without one. */
  trust?: TrustFacts | null;
}

/**
 * The single decision point. Precedence: any violation (built-in or a rule that denies) makes the
 * outcome "deny" and every violation is listed; a human is only asked (require_approval) about
 * requests nothing refuses outright; otherwise "allow". Pure: time and usage come in as inputs.
 */
export function evaluate({ request, policies, document, usage, now, trust = null }: EvaluateInput): PolicyDecision {
  const decoded = "addresses" in request ? request : decodeRequest(request);
  const violations: Violation[] = evaluateBuiltins(policies, { decoded, usage, now });
  const approvals: ApprovalReason[] = [];
  const decision: PolicyDecision = {
    outcome: "allow",
    violations,
    approvals,
    evaluated: { policies: policies.map((p) => ({ id: p.id, version: p.version })) },
  };

  if (document) {
    decision.evaluated.document = { id: document.id, version: document.version };
    const { action, matched } = evaluateRules(document.rules, decoded, now, trust);
    const explanation = matched ? matched.rule.description ?? describeRule(matched.rule) : null;
    if (matched && explanation !== null) {
      decision.matchedRule = { documentId: document.id, ruleId: matched.rule.id, index: matched.index, action, description: explanation };
    }
    if (action === "deny") {
      const v: Violation = matched
        ? { policyId: document.id, type: "rule", ruleId: matched.rule.id, message: `Denied by rule "${matched.rule.id}": ${explanation}` }
        : { policyId: document.id, type: "rule", message: "No rule matched and the rules document denies by default" };
      violations.push(v);
    } else if (action === "require_approval") {
      approvals.push({
        source: "rule",
        documentId: document.id,
        ruleId: matched ? matched.rule.id : null,
        message: matched
          ? `Rule "${matched.rule.id}" requires approval: ${explanation}`
          : "No rule matched and the rules document requires approval by default",
      });
    }
  }

  decision.outcome = violations.length > 0 ? "deny" : approvals.length > 0 ? "require_approval" : "allow";
  return decision;
}

export interface PolicyViolationBody {
  statusCode: 403;
  message: "Policy violation";
  violations: { policyId: string; type: Violation["type"]; message: string }[];
}

/** The 403 body the signing endpoints return for a denied request. */
export function policyViolationBody(decision: PolicyDecision): PolicyViolationBody {
  return {
    statusCode: 403,
    message: "Policy violation",
    violations: decision.violations.map(({ policyId, type, message }) => ({ policyId, type, message })),
  };
}
