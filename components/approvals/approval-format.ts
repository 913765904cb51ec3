import { formatUnits } from "viem";
import type { ApprovalInboxItem, SigningRequestView } from "../api/approvals";

/* Pure helpers for the approvals inbox: what a parked request wants, and why it waits for a human. */

function short(address: string | null): string {
  if (!address) return "a new contract";
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

function eth(wei: string): string {
  try {
    return `${formatUnits(BigInt(wei), 18)} ETH`;
  } catch {
    return `${wei} wei`;
  }
}

const TOKEN_VERB: Record<string, string> = {
  transfer: "Transfer",
  transferFrom: "Transfer (from another account)",
  approve: "Approve spending of",
  increaseAllowance: "Raise the allowance by",
  permit: "Permit spending of",
};

/** "Send 1.5 ETH to 0x1234…abcd", "Approve spending of unlimited tokens of 0x…", "Sign the message “hello”". */
export function describeSigningRequest(item: Pick<SigningRequestView, "kind" | "request">): string {
  const r = item.request;
  if (item.kind === "message" || item.kind === "typed_data") {
    const what = item.kind === "typed_data" ? "typed data" : "a message";
    return r.messagePreview ? `Sign ${what}: “${r.messagePreview}”` : `Sign ${what}`;
  }
  if (r.tokenAction) {
    const t = r.tokenAction;
    const amount = t.unlimited ? "an unlimited amount" : `${t.amount} base units`;
    const preposition = t.method === "approve" || t.method === "increaseAllowance" || t.method === "permit" ? "for" : "to";
    return `${TOKEN_VERB[t.method] ?? t.method} ${amount} of token ${short(t.contract)} ${preposition} ${short(t.counterparty)}`;
  }
  const value = BigInt(/^\d+$/.test(r.value) ? r.value : "0");
  if (r.selector) return `Call ${r.selector} on ${short(r.to)}${value > 0n ? ` with ${eth(r.value)}` : ""}`;
  return `Send ${eth(r.value)} to ${short(r.to)}`;
}

/** The reasons a guardrail gave for parking the request. */
export function approvalReasons(item: Pick<SigningRequestView, "approvals" | "matchedRule">): string[] {
  if (item.approvals.length > 0) return item.approvals;
  if (item.matchedRule) return [item.matchedRule.description || `Rule ${item.matchedRule.ruleId}`];
  return ["A guardrail requires a human to approve this request."];
}

/** Approved requests move on to reserved/committed; rejected ones end there. */
export function decisionLabel(item: Pick<SigningRequestView, "status">): { label: string; tone: "success" | "danger" | "neutral" } {
  if (item.status === "rejected") return { label: "Rejected", tone: "danger" };
  if (item.status === "reserved" || item.status === "committed") return { label: "Approved", tone: "success" };
  if (item.status === "released") return { label: "Approved, then expired", tone: "neutral" };
  return { label: item.status, tone: "neutral" };
}

/** The native value a parked signing request moves ("0.5 ETH"; token amounts in base units; "—" for messages). */
export function signingRequestValue(item: Pick<SigningRequestView, "kind" | "request">): string {
  if (item.kind === "message" || item.kind === "typed_data") return "—";
  const t = item.request.tokenAction;
  if (t) return t.unlimited ? "unlimited tokens" : `${t.amount} token units`;
  return eth(/^\d+$/.test(item.request.value) ? item.request.value : "0");
}

/** The sum of a seed 004 request's native values ("0.75 ETH"). */
export function approvalValue(item: Pick<ApprovalInboxItem, "valueWei">): string {
  return eth(item.valueWei);
}

/** Which agent asked: the relay signer's name, else the agent's short address (and its Safe). */
export function approvalAgentLabel(item: Pick<ApprovalInboxItem, "mode" | "agent" | "safeAddress">): string {
  if (item.agent.signerName) return item.agent.signerName;
  const agent = `Agent ${short(item.agent.address)}`;
  return item.safeAddress ? `${agent} · Safe ${short(item.safeAddress)}` : agent;
}

const APPROVAL_STATUS: Record<string, { label: string; tone: "success" | "danger" | "neutral" | "warning" | "accent" }> = {
  pending_human: { label: "Waiting for approval", tone: "warning" },
  rejected_by_human: { label: "Rejected", tone: "danger" },
  proposing: { label: "Accepted, proposing", tone: "accent" },
  proposed: { label: "Accepted, signing", tone: "accent" },
  executing: { label: "Accepted, executing", tone: "accent" },
  executed: { label: "Executed", tone: "success" },
  proposal_failed: { label: "Proposal failed", tone: "danger" },
  execution_failed: { label: "Execution failed", tone: "danger" },
};

/** The status badge of a seed 004 request. */
export function approvalStatusBadge(item: Pick<ApprovalInboxItem, "status">): { label: string; tone: "success" | "danger" | "neutral" | "warning" | "accent" } {
  return APPROVAL_STATUS[item.status] ?? { label: item.status, tone: "neutral" };
}

const SOURCE: Record<string, string> = { sw_action: "the notification", app_ui: "the approval page", unknown: "an unknown surface" };

/** "Accepted by Ada from the notification on Pixel 8, with a passkey". */
export function approvalDecisionText(decision: NonNullable<ApprovalInboxItem["decision"]>): string {
  const who = decision.decidedBy ? (decision.decidedBy.name ?? decision.decidedBy.email ?? "a member") : "a former member";
  const device = decision.device ? ` on ${decision.device.name ?? "a registered device"}` : "";
  return `${decision.response === "accepted" ? "Accepted" : "Rejected"} by ${who} from ${SOURCE[decision.source] ?? decision.source}${device}${decision.withPasskey ? ", with a passkey" : ""}`;
}
