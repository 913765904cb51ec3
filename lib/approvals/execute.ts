import { getAddress, isAddressEqual, type Hex } from "viem";
import { publicClientFor } from "@/lib/chain/networks";
import { serialContractWriter } from "@/lib/chain/serial-sender";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { readSafeState, sendExecTransaction } from "@/lib/safe/account";
import { safeTransactionFromJson, safeTxHash as computeSafeTxHash, type SafeTransactionJson } from "@/lib/safe/transaction";
import { networkOr422 } from "./drafts";
import { ensureDevnetGas, providerAccount } from "./provider-key";
import { assertTransition, failureStatusFor, isRequestStatus, type RequestStatus } from "./state";

/** Moves a request from `from` to `to` only if it is still in `from` (safe across instances). */
async function transition(db: Db, id: string, from: RequestStatus, to: RequestStatus, data: Record<string, unknown> = {}): Promise<boolean> {
  assertTransition(from, to);
  const r = await db.approvalRequest.updateMany({ where: { id, status: from }, data: { status: to, ...data } });
  return r.count === 1;
}

function reason(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(err)).split("\n")[0]!.slice(0, 500);
}

/**
 * Carries an accepted safe-mode request to the chain, inline in the responding request. Every step
 * is a conditional status update in the database, so the state survives a crash and no two
 * instances run the same step; a request found in `proposing` or `proposed` can be driven again by
 * calling this (a request in `executing` already has its transaction sent).
 *
 *   proposing: the provider key confirms (signs safeTxHash) → proposed
 *   proposed:  agent + provider signatures meet the threshold → executing → execTransaction → executed
 */
export async function driveAcceptedRequest(db: Db, id: string): Promise<void> {
  const row = await db.approvalRequest.findUnique({ where: { id } });
  if (!row || row.mode !== "safe" || !isRequestStatus(row.status)) return;
  let status: RequestStatus = row.status;
  try {
    const network = await networkOr422(db, row.chainId);
    const safeAddress = getAddress(row.safeAddress!);
    const tx = safeTransactionFromJson(row.safeTransaction as unknown as SafeTransactionJson);
    const provider = await providerAccount(db, row.organizationId);
    const client = publicClientFor(network);

    if (status === "proposing") {
      const state = await readSafeState(client, safeAddress);
      const hash = computeSafeTxHash({ version: state.version, chainId: network.chainId, safeAddress, tx });
      if (hash !== row.subjectHash) throw new Error("The Safe transaction no longer hashes to the approved safeTxHash");
      if (state.nonce !== tx.nonce) throw new Error(`The Safe's nonce is now ${state.nonce}; this transaction was built for nonce ${tx.nonce}`);
      if (!state.owners.some((o) => isAddressEqual(o, provider.address))) throw new Error(`The provider key ${provider.address} is not an owner of the Safe`);
      const signature = await provider.sign({ hash: row.subjectHash as Hex });
      const confirmations = 2;
      if (!(await transition(db, id, "proposing", "proposed", { providerConfirmation: { sender: provider.address, signature } }))) return;
      status = "proposed";
      if (confirmations < state.threshold) return; // waits for more owners (not reachable with our 2-of-2 Safes)
    }

    if (status === "proposed") {
      const fresh = await db.approvalRequest.findUniqueOrThrow({ where: { id } });
      const confirmation = fresh.providerConfirmation as { sender: string; signature: Hex };
      if (!(await transition(db, id, "proposed", "executing"))) return;
      status = "executing";
      await ensureDevnetGas(network, provider.address);
      const agent = await db.approvalAgent.findUniqueOrThrow({ where: { id: fresh.agentId } });
      const txHash = await sendExecTransaction(
        client,
        serialContractWriter(db, network, provider) as never,
        safeAddress,
        tx,
        [
          { owner: getAddress(agent.address), signature: fresh.agentSignature as Hex },
          { owner: getAddress(confirmation.sender), signature: confirmation.signature },
        ],
        async (hash) => {
          await db.approvalRequest.updateMany({ where: { id, status: "executing" }, data: { txHash: hash } });
        },
      );
      await transition(db, id, "executing", "executed", { txHash, executedAt: new Date() });
    }
  } catch (err) {
    const failed = failureStatusFor(status);
    const txHash = (err as { txHash?: string }).txHash;
    log.warn("approval request failed on chain", { requestId: id, status, error: reason(err) });
    await db.approvalRequest.updateMany({ where: { id, status }, data: { status: failed, error: reason(err), ...(txHash ? { txHash } : {}) } });
  }
}

/** How long a request may sit in proposing/proposed/executing before another caller picks it up. */
export const STALL_MS = 60_000;

/**
 * Picks up safe-mode requests whose responding instance stopped mid-way (crash, restart): those in
 * proposing/proposed are driven again; those in executing with a sent transaction settle from its
 * receipt. Called from the inbox and request reads, so any instance continues the work.
 */
export async function resumeStalledRequests(db: Db, organizationId: string, now = new Date()): Promise<void> {
  const stalled = await db.approvalRequest.findMany({
    where: { organizationId, mode: "safe", status: { in: ["proposing", "proposed", "executing"] }, updatedAt: { lt: new Date(now.getTime() - STALL_MS) } },
    select: { id: true, status: true, txHash: true, chainId: true },
    take: 10,
  });
  for (const r of stalled) {
    try {
      if (r.status !== "executing") {
        await driveAcceptedRequest(db, r.id);
        continue;
      }
      if (!r.txHash) continue;
      const network = await networkOr422(db, r.chainId);
      const receipt = await publicClientFor(network).getTransactionReceipt({ hash: r.txHash as Hex }).catch(() => null);
      if (!receipt) continue;
      if (receipt.status === "success") await transition(db, r.id, "executing", "executed", { executedAt: new Date() });
      else await transition(db, r.id, "executing", "execution_failed", { error: `execTransaction ${r.txHash} reverted` });
    } catch (err) {
      log.warn("could not resume approval request", { requestId: r.id, error: reason(err) });
    }
  }
}
