/**
 * The dashboard overview's pure aggregation: rows already read from the database in, the shapes the
 * overview cards draw out. No I/O here (see load.ts), so every rule is testable on plain values.
 */
import { formatUnits } from "viem";
import { usageOf } from "@/lib/policy/builtin";
import type { ActivePolicy, UsageSnapshot } from "@/lib/policy/types";

/* ───────────────────────── Decisions over the last days ───────────────────────── */

export type DecisionBucket = "allowed" | "denied" | "pending";
export type DecisionDay = { day: string; allowed: number; denied: number; pending: number };

/** One grouped row: where it came from, its status words, and how many there were that UTC day. */
export type DecisionCountRow =
  | { source: "signing"; day: string; status: string; count: number }
  | { source: "gateway"; day: string; decision: string; count: number }
  | { source: "approval"; day: string; status: string; count: number };

/**
 * Which bucket a decision falls in. Signing requests: denied by a guardrail or rejected by a human
 * is denied, parked for a human is pending, anything else (reserved, committed, released) was
 * allowed. Gateway checks: block / pending / allow. Seed 004 requests: rejected_by_human is denied,
 * pending_human is pending, the rest were accepted.
 */
export function decisionBucket(row: DecisionCountRow): DecisionBucket {
  switch (row.source) {
    case "signing":
      return row.status === "denied" || row.status === "rejected" ? "denied" : row.status === "pending_approval" ? "pending" : "allowed";
    case "gateway":
      return row.decision === "block" ? "denied" : row.decision === "pending" ? "pending" : "allowed";
    case "approval":
      return row.status === "rejected_by_human" ? "denied" : row.status === "pending_human" ? "pending" : "allowed";
  }
}

/** UTC day key (YYYY-MM-DD). */
export function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The first instant of the window: midnight UTC `days - 1` days before `now`'s day. */
export function windowStart(now: Date, days: number): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start;
}

/** One entry per UTC day of the window, oldest first, days without decisions at zero; rows outside the window are ignored. */
export function decisionSeries(rows: readonly DecisionCountRow[], now: Date, days = 7): DecisionDay[] {
  const start = windowStart(now, days);
  const series: DecisionDay[] = [];
  const byDay = new Map<string, DecisionDay>();
  for (let i = 0; i < days; i++) {
    const d = new Date(start);
    d.setUTCDate(start.getUTCDate() + i);
    const entry = { day: dayKey(d), allowed: 0, denied: 0, pending: 0 };
    series.push(entry);
    byDay.set(entry.day, entry);
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (entry) entry[decisionBucket(row)] += row.count;
  }
  return series;
}

export function totals(series: readonly DecisionDay[]): { allowed: number; denied: number; pending: number } {
  return series.reduce((t, d) => ({ allowed: t.allowed + d.allowed, denied: t.denied + d.denied, pending: t.pending + d.pending }), { allowed: 0, denied: 0, pending: 0 });
}

/* ───────────────────────── Spend against limits ───────────────────────── */

export type SpendBar = {
  signerId: string;
  signerName: string;
  policyId: string;
  /** "Daily" (rolling 24 h) or "Monthly (<time zone>)" or "Per transaction". */
  window: string;
  asset: string;
  symbol: string;
  used: string;
  limit: string;
  /** used / limit in percent, capped at 100 for the bar (the label shows the real figures). */
  percent: number;
};

function formatAmount(amount: bigint, decimals: number | undefined): string {
  if (decimals === undefined) return amount.toString();
  const s = formatUnits(amount, decimals);
  const [whole, frac = ""] = s.split(".");
  return frac ? `${whole}.${frac.slice(0, 4).replace(/0+$/, "") || "0"}`.replace(/\.0$/, "") : s;
}

/**
 * One bar per daily or monthly limit of a signer: what its counted requests used in the limit's
 * window (lib/policy usage, the same figures the guardrails decide on) against the maximum.
 */
export function spendBars(signer: { id: string; name: string; nativeSymbol: string; nativeDecimals: number }, policies: readonly ActivePolicy[], usage: UsageSnapshot): SpendBar[] {
  const bars: SpendBar[] = [];
  for (const p of policies) {
    if (p.type !== "daily_limit" && p.type !== "monthly_limit") continue;
    const token = p.config.token;
    const asset = token ? (token.address.toLowerCase() as `0x${string}`) : "native";
    const record = p.type === "daily_limit" ? usage.rolling24h : usage.monthly[p.config.timeZone];
    const used = usageOf(record, asset);
    const limit = p.config.maxAmount;
    const decimals = token ? token.decimals : signer.nativeDecimals;
    const symbol = token ? (token.symbol ?? `${token.address.slice(0, 6)}…`) : (p.config.nativeSymbol ?? signer.nativeSymbol);
    const percent = limit === 0n ? (used > 0n ? 100 : 0) : Math.min(100, Number((used * 10000n) / limit) / 100);
    bars.push({
      signerId: signer.id,
      signerName: signer.name,
      policyId: p.id,
      window: p.type === "daily_limit" ? "Daily" : `Monthly (${p.config.timeZone})`,
      asset,
      symbol,
      used: formatAmount(used, decimals),
      limit: formatAmount(limit, decimals),
      percent,
    });
  }
  return bars;
}

/* ───────────────────────── Last denials ───────────────────────── */

export type Denial = { id: string; source: "signing" | "gateway" | "approval"; at: string; subject: string; reason: string; href: string };

type SigningDenialRow = { id: string; signerId: string; signerName: string; status: string; kind: string; decision: unknown; createdAt: Date };
type GatewayDenialRow = { id: string; toolName: string; agentName: string; reasons: unknown; createdAt: Date };
type ApprovalDenialRow = { notificationId: string | null; message: string; createdAt: Date };

function firstMessage(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  for (const item of list) {
    const m = (item as { message?: unknown } | null)?.message;
    if (typeof m === "string" && m) return m;
  }
  return null;
}

/** Why a signing request was denied: the first guardrail violation, or a human's rejection. */
export function signingDenialReason(row: Pick<SigningDenialRow, "status" | "decision">): string {
  if (row.status === "rejected") return "Rejected by an approver";
  return firstMessage((row.decision as { violations?: unknown } | null)?.violations) ?? "Denied by a guardrail";
}

/** The newest `limit` denials of all three kinds, newest first. */
export function lastDenials(input: { signing: readonly SigningDenialRow[]; gateway: readonly GatewayDenialRow[]; approvals: readonly ApprovalDenialRow[] }, limit = 5): Denial[] {
  const all: (Denial & { t: number })[] = [
    ...input.signing.map((r) => ({
      id: r.id,
      source: "signing" as const,
      at: r.createdAt.toISOString(),
      t: r.createdAt.getTime(),
      subject: `${r.signerName}: ${r.kind.replace("_", " ")}`,
      reason: signingDenialReason(r),
      href: `/signers/${r.signerId}`,
    })),
    ...input.gateway.map((r) => ({
      id: r.id,
      source: "gateway" as const,
      at: r.createdAt.toISOString(),
      t: r.createdAt.getTime(),
      subject: `${r.agentName}: ${r.toolName}`,
      reason: firstMessage(r.reasons) ?? "Blocked by the gateway",
      href: "/gateway",
    })),
    ...input.approvals.map((r) => ({
      id: r.notificationId ?? r.message,
      source: "approval" as const,
      at: r.createdAt.toISOString(),
      t: r.createdAt.getTime(),
      subject: r.message,
      reason: "Rejected by an approver",
      href: r.notificationId ? `/approvals/${r.notificationId}` : "/approvals",
    })),
  ];
  return all
    .sort((a, b) => b.t - a.t)
    .slice(0, limit)
    .map(({ t: _t, ...d }) => d);
}

/* ───────────────────────── Set-up steps ───────────────────────── */

export type SetupStep = { id: "approvers" | "api-key" | "signer" | "agent"; title: string; body: string; href: string; done: boolean };

/** The four steps from sign-up to an agent that can move money; each is done once the organization has it. */
export function setupSteps(c: { members: number; invitations: number; apiKeys: number; signers: number; agents: number }): SetupStep[] {
  return [
    { id: "approvers", title: "Invite your approvers", body: "People who can approve what agents ask to do.", href: "/settings/members", done: c.members > 1 || c.invitations > 0 },
    { id: "api-key", title: "Create an API key", body: "Lets your backend talk to Countersign.", href: "/settings/api-keys", done: c.apiKeys > 0 },
    { id: "signer", title: "Create a signer", body: "A 2-of-3 threshold wallet for an agent.", href: "/signers/new", done: c.signers > 0 },
    { id: "agent", title: "Connect an agent", body: "Give it a signer and the guardrails it must follow.", href: "/agents", done: c.agents > 0 },
  ];
}

/* ───────────────────────── Pending summaries ───────────────────────── */

/** A short line for a parked signing request: "Transfer 0.5 ETH to 0x1234…abcd" or the request kind. */
export function describeParkedRequest(request: unknown, nativeSymbol: string, nativeDecimals: number): string {
  const r = request as { kind?: string; to?: string | null; value?: string } | null;
  if (r?.kind === "transaction") {
    const to = r.to ? `${r.to.slice(0, 6)}…${r.to.slice(-4)}` : "a new contract";
    const value = r.value && /^\d+$/.test(r.value) ? BigInt(r.value) : 0n;
    return value > 0n ? `Send ${formatAmount(value, nativeDecimals)} ${nativeSymbol} to ${to}` : `Transaction to ${to}`;
  }
  if (r?.kind === "message") return "Sign a message";
  if (r?.kind === "typed_data") return "Sign typed data";
  return "Signing request";
}
