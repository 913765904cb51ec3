/**
 * The gateway's decision for one tool call (seed 002): pure, with everything it needs passed in.
 * Order: kill switch, the agent's tool allow-list, rate limits, tool policies (templates and JSON Schemas), the rules documents of
 * lib/policy (tool rules: `tool`, `arguments.<path>`, `category`, `risk`, `anomaly_score`, `agent`),
 * then the anomaly threshold. Any block wins over pending, pending over allow; every matched policy
 * and rule is listed in `reasons` with a counterfactual hint.
 */
import { counterfactual, describeRule, evaluateToolRules, type ActiveRulesDocument, type TrustFacts } from "@/lib/policy";
import { describeAllowList, toolAllowed, type ToolAllowList } from "./allow-list";
import { classifyUncached, type ToolCategory } from "./classify";
import { CATEGORY_POLICY, maxRisk, type AnomalySignal, type Decision, type PolicySpec, type Reason } from "./model";
import { asCondition, compiledSchema, dottedPath, violations } from "./schema-policy";
import { prepareCall, scanPrepared, type PreparedCall, type RiskLevel, type ToolCall } from "./templates";

export type RateState = { agentCalls: number; agentLimit: number; toolCalls: number; toolLimit: number; windowSeconds: number; oldestInWindow?: { agent?: Date; tool?: Date } };

export type EvaluateToolCallInput = {
  call: ToolCall;
  organizationId: string;
  agent: { id: string; aegisAgentId: string | null; status: "active" | "paused" | "retired"; toolAllowList?: ToolAllowList };
  policies: readonly PolicySpec[];
  documents: readonly ActiveRulesDocument[];
  anomaly: { score: number; signals: AnomalySignal[] };
  anomalyThreshold: number;
  rate?: RateState;
  now: Date;
  /** The agent's trust score at `now` (seed 001), for rules naming `trust.*`; null without one. */
  trust?: TrustFacts | null;
};

export type ToolCallVerdict = {
  decision: Decision;
  policy_name: string;
  risk_level: RiskLevel;
  classification: { category: ToolCategory; signals: string[] };
  anomaly_score: number;
  anomaly_signals: AnomalySignal[];
  reasons: Reason[];
};

function retryAfter(oldest: Date | undefined, windowSeconds: number, now: Date): number {
  if (!oldest) return windowSeconds;
  return Math.max(1, Math.ceil((oldest.getTime() + windowSeconds * 1000 - now.getTime()) / 1000));
}

const NONE: { reasons: Reason[]; risk: RiskLevel } = Object.freeze({ reasons: Object.freeze([]) as unknown as Reason[], risk: "LOW" });

function policyReasons(p: PolicySpec, call: ToolCall, organizationId: string, prepared: () => PreparedCall): { reasons: Reason[]; risk: RiskLevel } {
  if (p.kind === "template") {
    const findings = scanPrepared(p.template, prepared(), p.options);
    if (findings.length === 0) return NONE;
    // Low-risk findings are reported (decision allow) but decide nothing; any other finding is a match.
    const significant = findings.some((f) => f.risk !== "LOW");
    const risk = significant ? maxRisk(p.riskLevel, ...findings.map((f) => f.risk)) : "LOW";
    const first = findings[0]!;
    return {
      risk,
      reasons: [{
        code: "policy",
        decision: significant ? p.onMatch : "allow",
        policy_name: p.id,
        risk_level: risk,
        path: first.path,
        message: `${p.name}: ${findings.map((f) => `${f.signal} at ${f.path || "arguments"} (${f.detail})`).join("; ")}`,
        hint: `would be allowed if ${findings.map((f) => f.path || "the arguments").filter((x, i, a) => a.indexOf(x) === i).join(", ")} carried no ${first.template} pattern`,
        signals: findings.map((f) => f.signal),
      }],
    };
  }
  const errors = violations(compiledSchema(`${organizationId}:${p.id}:${p.version}`, p.schema), call);
  if (errors.length === 0) return NONE;
  const e = errors[0]!;
  const path = dottedPath(e.instancePath) || "the call";
  return {
    risk: p.riskLevel,
    reasons: [{
      code: "policy",
      decision: p.onMatch,
      policy_name: p.id,
      risk_level: p.riskLevel,
      path,
      message: `${p.name}: ${errors.slice(0, 5).map((x) => `${dottedPath(x.instancePath) || "call"} ${x.message ?? "is invalid"}`).join("; ")}`,
      hint: `would be allowed if ${path} ${asCondition(e.message ?? "were valid")}`,
    }],
  };
}

export function evaluateToolCall(input: EvaluateToolCallInput): ToolCallVerdict {
  const { call, agent, now } = input;
  const classification = classifyUncached(call);
  const base = { classification, anomaly_score: input.anomaly.score, anomaly_signals: input.anomaly.signals };

  if (agent.status !== "active") {
    const code = agent.status === "paused" ? "agent_paused" : "agent_retired";
    return {
      ...base,
      decision: "block",
      policy_name: "kill-switch",
      risk_level: "CRITICAL",
      reasons: [{ code, decision: "block", policy_name: "kill-switch", message: `agent ${agent.status}`, hint: agent.status === "paused" ? "would be allowed once the agent is resumed" : "a retired agent is never allowed" }],
    };
  }

  if (!toolAllowed(agent.toolAllowList, call.tool_name)) {
    const list = agent.toolAllowList ?? [];
    return {
      ...base,
      decision: "block",
      policy_name: "tool-allow-list",
      risk_level: "HIGH",
      reasons: [{
        code: "tool_not_allowed",
        decision: "block",
        policy_name: "tool-allow-list",
        message: `tool_not_allowed: "${call.tool_name}" is not on this agent's tool allow-list`,
        hint: `would be allowed if "${call.tool_name}" were on the agent's allow-list (${describeAllowList(list)})`,
      }],
    };
  }

  const r = input.rate;
  if (r && (r.agentCalls >= r.agentLimit || r.toolCalls >= r.toolLimit)) {
    const perTool = r.toolCalls >= r.toolLimit;
    const wait = retryAfter(perTool ? r.oldestInWindow?.tool : r.oldestInWindow?.agent, r.windowSeconds, now);
    return {
      ...base,
      decision: "block",
      policy_name: "rate_limited",
      risk_level: "MEDIUM",
      reasons: [{
        code: "rate_limited",
        decision: "block",
        policy_name: "rate_limited",
        message: perTool ? `rate_limited: ${r.toolLimit} calls of "${call.tool_name}" per ${r.windowSeconds} s for this agent` : `rate_limited: ${r.agentLimit} calls per ${r.windowSeconds} s for this agent`,
        hint: `Retry-After: ${wait} (seconds)`,
        retry_after: wait,
      }],
    };
  }

  const reasons: Reason[] = [];
  let risk: RiskLevel = "LOW";
  // The arguments are walked once, for all template policies, and only when one runs.
  let walked: PreparedCall | undefined;
  const prepared = () => (walked ??= prepareCall(call, classification.category));
  for (const p of input.policies) {
    const out = policyReasons(p, call, input.organizationId, prepared);
    if (!out.reasons.length) continue;
    for (const r of out.reasons) reasons.push(r);
    risk = maxRisk(risk, out.risk);
  }

  const facts = { tool: call.tool_name, arguments: call.arguments, category: classification.category, risk, anomalyScore: input.anomaly.score, agent: [agent.aegisAgentId, agent.id].filter((x): x is string => !!x) };
  for (const doc of input.documents) {
    const matched = evaluateToolRules(doc.rules, facts, now, input.trust ?? null);
    if (!matched) continue;
    const action = matched.rule.action;
    const decision: Decision = action === "deny" ? "block" : action === "require_approval" ? "pending" : "allow";
    reasons.push({
      code: "rule",
      decision,
      policy_name: `${doc.id}#${matched.rule.id}`,
      message: `rule "${matched.rule.id}": ${matched.rule.description ?? describeRule(matched.rule)}`,
      hint: counterfactual(matched.rule),
    });
  }

  let decision: Decision = reasons.some((x) => x.decision === "block") ? "block" : reasons.some((x) => x.decision === "pending") ? "pending" : "allow";
  if (decision === "allow" && input.anomaly.score >= input.anomalyThreshold) {
    decision = "pending";
    reasons.push({
      code: "anomaly",
      decision: "pending",
      policy_name: "anomaly",
      message: `anomaly score ${input.anomaly.score} ≥ the organization's threshold ${input.anomalyThreshold}: ${input.anomaly.signals.map((s) => s.detail).join("; ")}`,
      hint: `would be allowed if the anomaly score were below ${input.anomalyThreshold}`,
      signals: input.anomaly.signals.map((s) => s.signal),
    });
  }

  const deciding = reasons.find((x) => x.decision === decision);
  const policy_name = deciding?.policy_name ?? CATEGORY_POLICY[classification.category] ?? "default";
  return { ...base, decision, policy_name, risk_level: risk, reasons };
}
