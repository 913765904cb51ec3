import { getAddress, serializeTransaction, type Address, type Hex } from "viem";
import { clearSign, type IntentAction } from "@/lib/approvals/clear-signing";
import { getNetwork } from "@/lib/chain/network-registry";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import { turnkeyConfig } from "./config";
import { turnkeyId } from "./ids";

/** How long an agent has to sign the draft via Turnkey and submit the activity (as for Safe drafts). */
export const TURNKEY_DRAFT_TTL_MS = 15 * 60_000;

export type WalletSelector = { agent?: string; agentPublicKey?: string; subOrganizationId?: string; walletAddress?: string };

/** The `agent` a Turnkey wallet answers to: its label, else the agent's public key. */
export const agentNameOf = (s: { agentLabel: string | null; agentPublicKey: string }) => s.agentLabel ?? s.agentPublicKey;

/**
 * The completed setup session (the paired Turnkey wallet) every given selector names. `agent` matches
 * the session's label or the agent's public key. None given → 400; none matching → 404.
 */
export async function walletFor(db: DbOrTx, organizationId: string, sel: WalletSelector) {
  if (!sel.agent && !sel.agentPublicKey && !sel.subOrganizationId && !sel.walletAddress) {
    throw new BadRequestError("Name the Turnkey wallet: agent, agentPublicKey, subOrganizationId or walletAddress", [{ field: "body", message: "No wallet selector" }]);
  }
  const rows = await db.turnkeySetupSession.findMany({
    where: {
      organizationId,
      status: "completed",
      ...(sel.agentPublicKey ? { agentPublicKey: sel.agentPublicKey.toLowerCase() } : {}),
      ...(sel.subOrganizationId ? { subOrganizationId: sel.subOrganizationId } : {}),
      ...(sel.walletAddress ? { walletAddress: getAddress(sel.walletAddress) } : {}),
      ...(sel.agent ? { OR: [{ agentLabel: sel.agent }, { agentPublicKey: sel.agent.toLowerCase() }] } : {}),
    },
    take: 2,
  });
  if (rows.length === 0) throw new NotFoundError("No paired Turnkey wallet matches");
  if (rows.length > 1) throw new BadRequestError("Several Turnkey wallets match; name one by subOrganizationId or walletAddress", [{ field: "body", message: "Ambiguous wallet" }]);
  return rows[0]!;
}

async function networkOr400(db: DbOrTx, chainId: number): Promise<Network> {
  const network = await getNetwork(db, chainId).catch(() => null);
  if (!network || !network.enabled) throw new BadRequestError(`Network ${chainId} is not enabled on this server`, [{ field: "body.intent.actions.0.chainId", message: "Network not enabled" }]);
  return network;
}

/**
 * The one EIP-1559 transaction the agent signs via Turnkey: nonce (pending) and fees from the chain,
 * gas estimated from the wallet. A transaction the chain says would fail (revert, no funds) is a 400.
 */
export async function buildUnsignedTransaction(network: Network, from: Address, action: IntentAction): Promise<Hex> {
  const client = publicClientFor(network);
  const call = { to: getAddress(action.to), data: action.data as Hex, value: BigInt(action.value) };
  let nonce: number;
  let fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  try {
    nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
    fees = await client.estimateFeesPerGas({ type: "eip1559" });
  } catch {
    throw new ServiceUnavailableError(`Chain ${network.chainId} is unreachable`);
  }
  let gas: bigint;
  try {
    gas = await client.estimateGas({ account: from, ...call });
  } catch (err) {
    const e = err as { shortMessage?: string; message: string };
    throw new BadRequestError(`The transaction would fail from ${from}: ${(e.shortMessage ?? e.message).split("\n")[0]}`, [{ field: "body.intent.actions.0", message: "Not executable from the wallet" }]);
  }
  const balance = await client.getBalance({ address: from }).catch(() => {
    throw new ServiceUnavailableError(`Chain ${network.chainId} is unreachable`);
  });
  const cost = call.value + gas * fees.maxFeePerGas;
  if (balance < cost) {
    throw new BadRequestError(`The wallet ${from} holds ${balance} wei, the transaction needs up to ${cost} wei (value and gas); fund the wallet`, [{ field: "body.intent.actions.0.value", message: "Insufficient funds" }]);
  }
  return serializeTransaction({ type: "eip1559", chainId: network.chainId, nonce, ...call, gas, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas });
}

/** POST /api/turnkey/drafts: exactly one action (C16), clear-signed, as an unsigned transaction for the wallet. */
export async function createTurnkeyDraft(db: DbOrTx, organizationId: string, body: WalletSelector & { intent: { actions: IntentAction[] } }, now = new Date()) {
  turnkeyConfig();
  const actions = body.intent.actions;
  if (actions.length !== 1) {
    throw new BadRequestError(`A Turnkey draft is one EVM transaction: send exactly one action (got ${actions.length})`, [{ field: "body.intent.actions", message: "Exactly one action" }]);
  }
  const action = actions[0]!;
  if (!/^\d{1,78}$/.test(action.value)) throw new BadRequestError("intent.actions[0].value must be a decimal wei amount", [{ field: "body.intent.actions.0.value", message: "Not a decimal wei amount" }]);
  const session = await walletFor(db, organizationId, body);
  const wallet = getAddress(session.walletAddress!);
  const network = await networkOr400(db, action.chainId);
  let clear;
  try {
    clear = await clearSign(network, actions, wallet, { db, organizationId });
  } catch (err) {
    throw new BadRequestError(`Invalid action: ${(err as Error).message}`);
  }
  const unsignedTransaction = await buildUnsignedTransaction(network, wallet, action);
  const intent = { actions: [{ chainId: action.chainId, to: getAddress(action.to), data: action.data.toLowerCase(), value: action.value }] };
  const draft = await db.turnkeyDraft.create({
    data: {
      id: turnkeyId("tkd"),
      organizationId,
      setupSessionId: session.id,
      chainId: network.chainId,
      intent,
      clearSigning: clear.json,
      unsignedTransaction,
      createdAt: now,
      expiresAt: new Date(now.getTime() + TURNKEY_DRAFT_TTL_MS),
    },
  });
  return {
    draftId: draft.id,
    agent: agentNameOf(session),
    subOrganizationId: session.subOrganizationId!,
    walletAddress: wallet,
    intent,
    clearSigning: clear.json,
    turnkeyTransaction: { type: "TRANSACTION_TYPE_ETHEREUM" as const, signWith: wallet, unsignedTransaction },
    createdAt: draft.createdAt.getTime(),
    expiresAt: draft.expiresAt.getTime(),
  };
}
