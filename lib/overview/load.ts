/**
 * The dashboard overview's reads (I/O): everything `/` shows, for one organization and the signed-in
 * user, read from the database at request time. Shaping is in aggregate.ts (pure).
 */
import type { DbOrTx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { listEnabledNetworks } from "@/lib/chain/network-registry";
import type { Network } from "@/lib/chain/networks";
import { parsePriceTable, pricesFor } from "@/lib/prices/table";
import { loadActivePolicies } from "@/lib/signing/guardrails";
import { PRODUCTION_PRIME_BITS } from "@/lib/signing/prime-pool";
import { loadUsage } from "@/lib/signing/spend-ledger";
import {
  decisionSeries,
  describeParkedRequest,
  lastDenials,
  setupSteps,
  spendBars,
  windowStart,
  type DecisionCountRow,
  type DecisionDay,
  type Denial,
  type SetupStep,
  type SpendBar,
} from "./aggregate";

export const DECISION_DAYS = 7;

export type PendingItem =
  | { kind: "approval"; id: string; notificationId: string; title: string; subtitle: string; createdAt: string; href: string }
  | { kind: "signing"; id: string; title: string; subtitle: string; createdAt: string; href: string }
  | { kind: "tool_call"; id: string; title: string; subtitle: string; createdAt: string; expiresAt: string | null; riskLevel: string; href: string };

export type HoldingToken = { id: string; address: string; symbol: string };
export type HoldingSigner = { id: string; name: string; status: string; address: string | null; agentName: string | null; tokens: HoldingToken[] };
export type HoldingNetwork = { chainId: number; name: string; symbol: string; known: boolean; signers: HoldingSigner[] };

export type NetworkHealth = { chainId: number; name: string; reachable: boolean; detail: string; blockNumber: string | null };

export type Overview = {
  generatedAt: string;
  needsYou: { pending: PendingItem[]; devices: { mine: number; organization: number } };
  holdings: HoldingNetwork[];
  /** USD prices of the shown networks' assets (lib/prices); null when no price source is configured. */
  prices: Record<string, string> | null;
  activity: { spend: SpendBar[]; decisions: DecisionDay[]; denials: Denial[] };
  health: {
    push: { failedLast7Days: number; devicesFailing: number; lastError: string | null };
    primePool: { bits: number; available: number; target: number };
  };
  setup: SetupStep[];
};

type DayRow = { day: string; word: string; count: bigint | number };

async function decisionCounts(db: DbOrTx, organizationId: string, since: Date): Promise<DecisionCountRow[]> {
  const signing = await db.$queryRaw<DayRow[]>`SELECT to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "day", "status"::text AS "word", count(*) AS "count"
    FROM "signing_requests" WHERE "organization_id" = ${organizationId}::uuid AND "created_at" >= ${since}::timestamptz GROUP BY 1, 2`;
  const gateway = await db.$queryRaw<DayRow[]>`SELECT to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "day",
      CASE WHEN "decision" = 'pending' AND "expires_at" <= now() THEN 'block' ELSE "decision" END AS "word", count(*) AS "count"
    FROM "gateway_checks" WHERE "organization_id" = ${organizationId}::uuid AND "created_at" >= ${since}::timestamptz GROUP BY 1, 2`;
  const approvals = await db.$queryRaw<DayRow[]>`SELECT to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "day", "status" AS "word", count(*) AS "count"
    FROM "approval_requests" WHERE "organization_id" = ${organizationId}::uuid AND "created_at" >= ${since}::timestamptz GROUP BY 1, 2`;
  return [
    ...signing.map((r) => ({ source: "signing" as const, day: r.day, status: r.word, count: Number(r.count) })),
    ...gateway.map((r) => ({ source: "gateway" as const, day: r.day, decision: r.word, count: Number(r.count) })),
    ...approvals.map((r) => ({ source: "approval" as const, day: r.day, status: r.word, count: Number(r.count) })),
  ];
}

function networkInfo(networks: Map<number, Network>, chainId: number) {
  const n = networks.get(chainId);
  return { name: n?.name ?? `Chain ${chainId}`, symbol: n?.nativeCurrency.symbol ?? "ETH", decimals: n?.nativeCurrency.decimals ?? 18, known: !!n };
}

async function pendingItems(db: DbOrTx, organizationId: string, networks: Map<number, Network>): Promise<PendingItem[]> {
  const [approvals, parked, checks] = await Promise.all([
    db.approvalRequest.findMany({ where: { organizationId, status: "pending_human" }, include: { notification: true, agent: true }, orderBy: { createdAt: "desc" }, take: 20 }),
    db.signingRequest.findMany({ where: { organizationId, status: "pending_approval" }, include: { signer: { select: { name: true, chainId: true } } }, orderBy: { createdAt: "desc" }, take: 20 }),
    db.gatewayCheck.findMany({
      where: { organizationId, decision: "pending", OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      include: { agent: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
      take: 20,
    }),
  ]);
  const items: (PendingItem & { t: number })[] = [];
  for (const a of approvals) {
    if (!a.notification) continue;
    items.push({
      kind: "approval",
      id: a.id,
      notificationId: a.notification.id,
      title: a.notification.message,
      subtitle: `Agent ${a.agent.address.slice(0, 6)}…${a.agent.address.slice(-4)} · ${networkInfo(networks, a.chainId).name}`,
      createdAt: a.createdAt.toISOString(),
      href: `/approvals/${a.notification.id}`,
      t: a.createdAt.getTime(),
    });
  }
  for (const s of parked) {
    const n = networkInfo(networks, s.signer.chainId);
    items.push({
      kind: "signing",
      id: s.id,
      title: describeParkedRequest(s.request, n.symbol, n.decimals),
      subtitle: `Signer ${s.signer.name} · a guardrail asks for a human`,
      createdAt: s.createdAt.toISOString(),
      href: "/approvals",
      t: s.createdAt.getTime(),
    });
  }
  for (const c of checks) {
    const reason = Array.isArray(c.reasons) ? (c.reasons as { message?: string }[]).find((r) => typeof r?.message === "string")?.message : undefined;
    items.push({
      kind: "tool_call",
      id: c.id,
      title: `${c.agent.name} wants to call ${c.toolName}`,
      subtitle: reason ?? `Risk ${c.riskLevel}`,
      createdAt: c.createdAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      riskLevel: c.riskLevel,
      href: "/gateway",
      t: c.createdAt.getTime(),
    });
  }
  return items.sort((a, b) => b.t - a.t).map(({ t: _t, ...item }) => item);
}

/** Loads everything the overview shows. `now` is injectable for tests. */
export async function loadOverview(db: DbOrTx, input: { organizationId: string; userId: string; now?: Date }): Promise<Overview> {
  const { organizationId, userId } = input;
  const now = input.now ?? new Date();
  const since = windowStart(now, DECISION_DAYS);
  const networkList = await listEnabledNetworks(db);
  const networks = new Map(networkList.map((n) => [n.chainId, n]));

  const signers = await db.signer.findMany({
    where: { organizationId, deletedAt: null },
    include: { agent: { select: { name: true } }, tokens: { select: { id: true, chainId: true, address: true, symbol: true }, orderBy: { createdAt: "asc" } } },
    orderBy: { createdAt: "asc" },
  });

  // What my agents hold: signers grouped by network (balances are read live by the browser per signer).
  const holdingsByChain = new Map<number, HoldingNetwork>();
  for (const s of signers) {
    const info = networkInfo(networks, s.chainId);
    let group = holdingsByChain.get(s.chainId);
    if (!group) {
      group = { chainId: s.chainId, name: info.name, symbol: info.symbol, known: info.known, signers: [] };
      holdingsByChain.set(s.chainId, group);
    }
    const tokens = s.tokens.filter((t) => t.chainId === s.chainId).map((t) => ({ id: t.id, address: t.address, symbol: t.symbol }));
    group.signers.push({ id: s.id, name: s.name, status: s.status, address: s.address, agentName: s.agent?.name ?? null, tokens });
  }
  const priceTable = parsePriceTable(env().COUNTERSIGN_PRICES_USD);

  // What they did: spend against each signer's limits (the guardrails' own usage figures).
  const spend: SpendBar[] = [];
  for (const s of signers) {
    if (s.status !== "active" && s.status !== "paused") continue;
    const { policies } = await loadActivePolicies(db, s.id);
    if (!policies.some((p) => p.type === "daily_limit" || p.type === "monthly_limit")) continue;
    const usage = await loadUsage(db, s.id, policies, now);
    const info = networkInfo(networks, s.chainId);
    spend.push(...spendBars({ id: s.id, name: s.name, nativeSymbol: info.symbol, nativeDecimals: info.decimals }, policies, usage));
  }

  const [rows, signingDenied, gatewayBlocked, approvalsRejected, pending] = await Promise.all([
    decisionCounts(db, organizationId, since),
    db.signingRequest.findMany({
      where: { organizationId, status: { in: ["denied", "rejected"] } },
      include: { signer: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
      take: 5,
    }),
    db.gatewayCheck.findMany({ where: { organizationId, decision: "block" }, include: { agent: { select: { name: true } } }, orderBy: { createdAt: "desc" }, take: 5 }),
    db.approvalRequest.findMany({ where: { organizationId, status: "rejected_by_human" }, include: { notification: true }, orderBy: { createdAt: "desc" }, take: 5 }),
    pendingItems(db, organizationId, networks),
  ]);
  const denials = lastDenials({
    signing: signingDenied.map((r) => ({ id: r.id, signerId: r.signerId, signerName: r.signer.name, status: r.status, kind: r.kind, decision: r.decision, createdAt: r.createdAt })),
    gateway: gatewayBlocked.map((r) => ({ id: r.id, toolName: r.toolName, agentName: r.agent.name, reasons: r.reasons, createdAt: r.createdAt })),
    approvals: approvalsRejected.map((r) => ({ notificationId: r.notification?.id ?? null, message: r.notification?.message ?? "Agent request", createdAt: r.createdAt })),
  });

  // Needs me: devices that receive approval pushes.
  const [myDevices, orgDevices, failedLast7Days, devicesFailing, lastFailure, primes] = await Promise.all([
    db.device.count({ where: { organizationId, userId } }),
    db.device.count({ where: { organizationId } }),
    db.pushDelivery.count({ where: { organizationId, status: { in: ["failed", "gone"] }, updatedAt: { gte: since } } }),
    db.device.count({ where: { organizationId, failureCount: { gt: 0 } } }),
    db.pushDelivery.findFirst({ where: { organizationId, status: { in: ["failed", "gone"] }, lastError: { not: null } }, orderBy: { updatedAt: "desc" }, select: { lastError: true } }),
    db.serverPrime.count({ where: { bits: PRODUCTION_PRIME_BITS } }),
  ]);

  const [members, invitations, apiKeys, approvalAgents, agentTokens] = await Promise.all([
    db.membership.count({ where: { organizationId } }),
    db.invitation.count({ where: { organizationId } }),
    db.credential.count({ where: { organizationId, kind: "organization_key", revokedAt: null } }),
    db.approvalAgent.count({ where: { organizationId } }),
    db.credential.count({ where: { organizationId, kind: "agent_token" } }),
  ]);
  // An agent is connected once it holds its share of a signer (the signer is active), is paired
  // for seed 004 approvals, or has been given a token.
  const connected = signers.filter((s) => s.status === "active" || s.status === "paused").length + approvalAgents + agentTokens;

  return {
    generatedAt: now.toISOString(),
    needsYou: { pending, devices: { mine: myDevices, organization: orgDevices } },
    holdings: [...holdingsByChain.values()],
    prices: priceTable.size ? pricesFor(priceTable, holdingsByChain.keys()) : null,
    activity: { spend, decisions: decisionSeries(rows, now, DECISION_DAYS), denials },
    health: {
      push: { failedLast7Days, devicesFailing, lastError: lastFailure?.lastError ?? null },
      primePool: { bits: PRODUCTION_PRIME_BITS, available: primes, target: env().COUNTERSIGN_PRIME_POOL_TARGET },
    },
    setup: setupSteps({ members, invitations, apiKeys, signers: signers.length, agents: connected }),
  };
}

/** Enabled networks, for the health card's reachability probe. */
export async function overviewNetworks(db: DbOrTx): Promise<Network[]> {
  return listEnabledNetworks(db);
}

/** Asks one network's RPC for its latest block within `timeoutMs`; an error or a wrong chain id is "unreachable" with the reason. */
export async function probeNetwork(network: Network, timeoutMs = 2500): Promise<NetworkHealth> {
  const base = { chainId: network.chainId, name: network.name };
  const rpc = async (method: string) => {
    const res = await fetch(network.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { result?: string; error?: { message?: string } };
    if (typeof body.result !== "string") throw new Error(body.error?.message ?? "no result");
    return BigInt(body.result);
  };
  try {
    const chainId = await rpc("eth_chainId");
    if (Number(chainId) !== network.chainId) return { ...base, reachable: false, detail: `answers as chain ${chainId}, expected ${network.chainId}`, blockNumber: null };
    const block = await rpc("eth_blockNumber");
    return { ...base, reachable: true, detail: `block ${block}`, blockNumber: block.toString() };
  } catch (err) {
    const e = err as Error;
    // The cause's code only (ECONNREFUSED…): the RPC URL may carry a provider key and is not repeated.
    const code = (e.cause as { code?: string } | undefined)?.code;
    const detail = e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : `unreachable (${code ?? e.message.split("\n")[0]})`;
    return { ...base, reachable: false, detail, blockNumber: null };
  }
}
