/** The RPC half of the transaction helpers: fill an unsigned tx from a node, broadcast, await the receipt. */
import type { Address, Hex, PublicClient, TransactionReceipt, TransactionSerializedEIP1559 } from "viem";
import { ChainIdMismatchError, TransactionRevertedError } from "./errors";
import type { UnsignedEip1559Tx } from "./tx-codec";

export interface TxIntent {
  from: Address;
  /** null deploys a contract. */
  to: Address | null;
  value?: bigint;
  data?: Hex;
}

export interface BuildTxOverrides {
  nonce?: number;
  gas?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  /** Extra gas over the node's estimate, in basis points (default 1000 = +10%). */
  gasMarginBps?: bigint;
}

/**
 * Builds a complete EIP-1559 transaction for `intent`: chain id, pending nonce, gas estimate
 * (with margin) and fees all come from the node. If the client is bound to a chain, the node
 * must report that chain id, so a misconfigured RPC URL cannot produce a tx for another chain.
 */
export async function buildEip1559Tx(client: PublicClient, intent: TxIntent, overrides: BuildTxOverrides = {}): Promise<UnsignedEip1559Tx> {
  const value = intent.value ?? 0n;
  const data = intent.data ?? "0x";
  const [chainId, nonce, gasEstimate, fees] = await Promise.all([
    client.getChainId(),
    overrides.nonce ?? client.getTransactionCount({ address: intent.from, blockTag: "pending" }),
    overrides.gas ??
      client.estimateGas({ account: intent.from, ...(intent.to === null ? {} : { to: intent.to }), value, data }),
    overrides.maxFeePerGas !== undefined && overrides.maxPriorityFeePerGas !== undefined
      ? { maxFeePerGas: overrides.maxFeePerGas, maxPriorityFeePerGas: overrides.maxPriorityFeePerGas }
      : client.estimateFeesPerGas({ type: "eip1559", chain: client.chain }),
  ]);
  if (client.chain && client.chain.id !== chainId) throw new ChainIdMismatchError(client.chain.id, chainId);
  const margin = overrides.gasMarginBps ?? 1000n;
  const gas = overrides.gas ?? gasEstimate + (gasEstimate * margin) / 10_000n;
  return {
    chainId,
    nonce,
    to: intent.to,
    value,
    data,
    gas,
    maxFeePerGas: overrides.maxFeePerGas ?? fees.maxFeePerGas,
    maxPriorityFeePerGas: overrides.maxPriorityFeePerGas ?? fees.maxPriorityFeePerGas,
    accessList: [],
  };
}

export function broadcastRawTransaction(client: PublicClient, signedTx: TransactionSerializedEIP1559): Promise<Hex> {
  return client.sendRawTransaction({ serializedTransaction: signedTx });
}

/** Waits for the receipt; throws TransactionRevertedError if the transaction was mined but reverted. */
export async function waitForSuccess(client: PublicClient, hash: Hex, options: { timeoutMs?: number } = {}): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({ hash, timeout: options.timeoutMs ?? 60_000 });
  if (receipt.status !== "success") throw new TransactionRevertedError(hash);
  return receipt;
}

export async function broadcastAndWait(
  client: PublicClient,
  signedTx: TransactionSerializedEIP1559,
  options: { timeoutMs?: number } = {},
): Promise<TransactionReceipt> {
  return waitForSuccess(client, await broadcastRawTransaction(client, signedTx), options);
}
