import { keccak256, parseTransaction, serializeTransaction, type Hex } from "viem";
import { getNetwork } from "@/lib/chain/network-registry";
import { publicClientFor } from "@/lib/chain/networks";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { hex0x, providerClient, turnkeyMessage } from "./client";
import { turnkeyConfig } from "./config";
import type { TurnkeyStatus } from "./state";

/** True when `signed` is `unsigned` plus a signature (pure): Turnkey signed exactly the drafted transaction. */
export function signsDraft(signed: Hex, unsigned: Hex): boolean {
  try {
    const { r, s, v, yParity, ...fields } = parseTransaction(signed);
    void r, s, v, yParity;
    return serializeTransaction(fields as never).toLowerCase() === unsigned.toLowerCase();
  } catch {
    return false;
  }
}

async function move(db: Db, id: string, from: TurnkeyStatus, to: TurnkeyStatus, data: { error?: string | null; txHash?: string; executedAt?: Date } = {}) {
  const moved = await db.approvalRequest.updateMany({ where: { id, mode: "turnkey", status: from }, data: { status: to, ...data } });
  return moved.count === 1;
}

/**
 * An accepted Turnkey request (status approving), inline in the responding request: the provider
 * votes APPROVE_ACTIVITY (stamped with its API key), reads the signed transaction from the completed
 * activity, checks it is the drafted one, broadcasts it and waits for the receipt. Each failure ends
 * in its seed status with `error`.
 */
export async function driveTurnkeyRequest(db: Db, requestId: string): Promise<void> {
  const request = await db.approvalRequest.findUnique({ where: { id: requestId } });
  const turnkey = await db.turnkeyRequest.findUnique({ where: { id: requestId } });
  if (!request || !turnkey || request.status !== "approving" || request.txHash) return;
  const fail = (to: TurnkeyStatus, error: string) => move(db, requestId, "approving", to, { error: error.slice(0, 500) });

  let client;
  try {
    client = providerClient(turnkeyConfig());
  } catch (err) {
    await fail("approval_failed", (err as Error).message);
    return;
  }
  try {
    await client.approveActivity({ type: "ACTIVITY_TYPE_APPROVE_ACTIVITY", timestampMs: String(Date.now()), organizationId: turnkey.subOrganizationId, parameters: { fingerprint: turnkey.fingerprint } });
  } catch (err) {
    await fail("approval_failed", `Turnkey approve_activity failed: ${turnkeyMessage(err)}`);
    return;
  }
  let activity;
  try {
    activity = (await client.getActivity({ organizationId: turnkey.subOrganizationId, activityId: turnkey.activityId })).activity;
  } catch (err) {
    await fail("signing_failed", `Turnkey get_activity failed after the approval: ${turnkeyMessage(err)}`);
    return;
  }
  if (activity.status === "ACTIVITY_STATUS_CONSENSUS_NEEDED") {
    await fail("approval_failed", "Turnkey still needs consensus after the provider's approval (check the sub-organization's policy)");
    return;
  }
  const signedRaw = activity.result.signTransactionResult?.signedTransaction;
  if (activity.status !== "ACTIVITY_STATUS_COMPLETED" || !signedRaw) {
    await fail("signing_failed", `Turnkey activity ${activity.id} is ${activity.status}${activity.failure?.message ? `: ${activity.failure.message}` : ""}`);
    return;
  }
  const signed = hex0x(signedRaw);
  if (!signsDraft(signed, turnkey.unsignedTransaction as Hex)) {
    await fail("signing_failed", "Turnkey returned a signed transaction that is not the drafted one; it was not broadcast");
    return;
  }

  const txHash = keccak256(signed);
  // The hash is stored before sending: an instance that dies after this point never sends it twice.
  if (!(await db.approvalRequest.updateMany({ where: { id: requestId, status: "approving", txHash: null }, data: { txHash } })).count) return;
  const network = await getNetwork(db, request.chainId).catch(() => null);
  if (!network) {
    await fail("broadcast_failed", `Network ${request.chainId} is not configured`);
    return;
  }
  const chain = publicClientFor(network);
  try {
    await chain.sendRawTransaction({ serializedTransaction: signed });
  } catch (err) {
    const e = err as { shortMessage?: string; message: string };
    await fail("broadcast_failed", `The chain refused the transaction: ${(e.shortMessage ?? e.message).split("\n")[0]}`);
    return;
  }
  try {
    const receipt = await chain.waitForTransactionReceipt({ hash: txHash, timeout: 120_000 });
    if (receipt.status !== "success") await fail("broadcast_failed", `Transaction ${txHash} reverted`);
    else await move(db, requestId, "approving", "executed", { executedAt: new Date() });
  } catch (err) {
    log.warn("turnkey transaction receipt not seen yet", { requestId, txHash, error: (err as Error).message.split("\n")[0] });
  }
}

/** A rejected Turnkey request: the provider votes REJECT_ACTIVITY, so the agent's activity ends at Turnkey too. */
export async function rejectTurnkeyActivity(db: Db, requestId: string): Promise<void> {
  const turnkey = await db.turnkeyRequest.findUnique({ where: { id: requestId } });
  if (!turnkey) return;
  try {
    await providerClient(turnkeyConfig()).rejectActivity({ type: "ACTIVITY_TYPE_REJECT_ACTIVITY", timestampMs: String(Date.now()), organizationId: turnkey.subOrganizationId, parameters: { fingerprint: turnkey.fingerprint } });
  } catch (err) {
    await db.approvalRequest.updateMany({ where: { id: requestId, status: "rejected_by_human" }, data: { error: `Turnkey reject_activity failed: ${turnkeyMessage(err)}`.slice(0, 500) } });
  }
}
