/**
 * Settles the verifying paymaster's reservations (`aa_sponsorships`) to what the EntryPoint charged.
 * A sponsorship reserves the operation's maximum cost; once the operation is mined, the EntryPoint's
 * `UserOperationEvent(userOpHash, sender, paymaster, nonce, success, actualGasCost, actualGasUsed)`
 * gives the charge. A reservation with no event whose validity has ended (validUntil before the
 * latest block's timestamp: the EntryPoint refuses the sponsorship from then on) is released,
 * charged 0. Pending rows count at their maximum.
 *
 * Run by housekeeping (every chain with this server's paymaster) and before a budget check (the
 * organization's rows). Safe across instances: each row is settled once, by a conditional update.
 */
import { getAddress, type Address, type Hex } from "viem";
import type { Db } from "@/lib/db/client";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { toNetwork } from "@/lib/chain/network-registry";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { userOperationEvent } from "./abi";

export type PaymasterOnChain = { chainId: number; entryPoint: Address; paymaster: Address };
type ChainClient = ReturnType<typeof publicClientFor>;

export type PendingSponsorship = { id: string; sender: string; nonce: string; validUntil: Date; createdAt: Date };
export type MinedOperation = { userOpHash: Hex; sender: Address; nonce: bigint; actualGasCost: bigint };
export type Settlement = { id: string; actualCostWei: bigint; userOpHash: Hex | null };

/** Blocks per eth_getLogs call (public RPC endpoints cap the range). */
const LOG_RANGE = 5_000n;
/** Pending rows settled per pass and chain (the oldest first). */
const BATCH = 100;

const opKey = (sender: string, nonce: bigint) => `${getAddress(sender)}:${nonce}`;

/**
 * Pure. An operation (sender, nonce) runs at most once: the newest of its pending reservations is
 * charged its actualGasCost (unless a previous pass recorded that operation already), the others 0.
 * Without an event, a reservation is released once `headTimestamp` (seconds) is past its validUntil.
 */
export function settlementPlan(pending: readonly PendingSponsorship[], mined: readonly MinedOperation[], alreadyCharged: ReadonlySet<string>, headTimestamp: number): Settlement[] {
  const byOp = new Map(mined.map((m) => [opKey(m.sender, m.nonce), m]));
  const groups = new Map<string, PendingSponsorship[]>();
  for (const p of pending) {
    const key = opKey(p.sender, BigInt(p.nonce));
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: Settlement[] = [];
  for (const [key, rows] of groups) {
    const op = byOp.get(key);
    if (op) {
      const newestFirst = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      newestFirst.forEach((r, i) => out.push(i === 0 && !alreadyCharged.has(op.userOpHash) ? { id: r.id, actualCostWei: op.actualGasCost, userOpHash: op.userOpHash } : { id: r.id, actualCostWei: 0n, userOpHash: null }));
    } else {
      for (const r of rows) if (Math.floor(r.validUntil.getTime() / 1000) < headTimestamp) out.push({ id: r.id, actualCostWei: 0n, userOpHash: null });
    }
  }
  return out;
}

export type SettleResult = { charged: number; released: number };

/** Settles the chain's pending reservations (only `organizationId`'s when given; null: the public pool). */
export async function settleSponsorships(db: Db, client: ChainClient, pm: PaymasterOnChain, scope: { organizationId?: string | null } = {}): Promise<SettleResult> {
  const pending = await db.aaSponsorship.findMany({
    where: { chainId: pm.chainId, actualCostWei: null, ...(scope.organizationId !== undefined ? { organizationId: scope.organizationId } : {}) },
    orderBy: { createdAt: "asc" },
    take: BATCH,
    select: { id: true, sender: true, nonce: true, validUntil: true, createdAt: true, fromBlock: true },
  });
  if (pending.length === 0) return { charged: 0, released: 0 };
  const head = await client.getBlock({ blockTag: "latest" });
  // The operation cannot be mined before its sponsorship was signed (rows from before from_block existed: from genesis).
  const from = pending.reduce((m, p) => (p.fromBlock === null ? 0n : p.fromBlock < m ? p.fromBlock : m), head.number);
  const senders = [...new Set(pending.map((p) => getAddress(p.sender)))];
  const mined: MinedOperation[] = [];
  for (let start = from; start <= head.number; start += LOG_RANGE) {
    const toBlock = start + LOG_RANGE - 1n < head.number ? start + LOG_RANGE - 1n : head.number;
    const logs = await client.getLogs({ address: pm.entryPoint, event: userOperationEvent, args: { sender: senders, paymaster: pm.paymaster }, fromBlock: start, toBlock });
    for (const l of logs) mined.push({ userOpHash: l.args.userOpHash!, sender: l.args.sender!, nonce: l.args.nonce!, actualGasCost: l.args.actualGasCost! });
  }
  const recorded = mined.length
    ? await db.aaSponsorship.findMany({ where: { chainId: pm.chainId, userOpHash: { in: mined.map((m) => m.userOpHash) } }, select: { userOpHash: true } })
    : [];
  const plan = settlementPlan(pending, mined, new Set(recorded.map((r) => r.userOpHash!)), Number(head.timestamp));
  const result: SettleResult = { charged: 0, released: 0 };
  for (const s of plan) {
    const u = await db.aaSponsorship.updateMany({ where: { id: s.id, actualCostWei: null }, data: { actualCostWei: new Prisma.Decimal(s.actualCostWei.toString()), userOpHash: s.userOpHash } });
    if (u.count === 1) result[s.userOpHash ? "charged" : "released"] += 1;
  }
  return result;
}

/** Housekeeping: every enabled chain where this server's paymaster is deployed (an unreachable chain is skipped). */
export async function settleAllSponsorships(db: Db): Promise<number> {
  const rows = await db.network.findMany({ where: { enabled: true, aaEntryPoint: { not: null }, aaPaymaster: { not: null } } });
  let settled = 0;
  for (const row of rows) {
    const network: Network = toNetwork(row);
    try {
      const r = await settleSponsorships(db, publicClientFor(network), { chainId: row.chainId, entryPoint: getAddress(row.aaEntryPoint!), paymaster: getAddress(row.aaPaymaster!) });
      settled += r.charged + r.released;
    } catch (err) {
      log.warn("could not settle paymaster sponsorships", { chainId: row.chainId, error: (err as Error).message.split("\n")[0] });
    }
  }
  return settled;
}
