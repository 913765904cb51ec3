import type { Hex } from "viem";
import type { UnsignedEip1559Tx } from "@/lib/chain/tx-codec";

/** An unsigned EIP-1559 transaction as JSON (integers as decimal strings). Isomorphic. */
export type TxJson = { chainId: number; nonce: number; to: string | null; value: string; data: string; gas: string; maxFeePerGas: string; maxPriorityFeePerGas: string };

export function txToJson(tx: UnsignedEip1559Tx): TxJson {
  return { chainId: tx.chainId, nonce: tx.nonce, to: tx.to, value: tx.value.toString(), data: tx.data, gas: tx.gas.toString(), maxFeePerGas: tx.maxFeePerGas.toString(), maxPriorityFeePerGas: tx.maxPriorityFeePerGas.toString() };
}

export function txFromJson(j: TxJson): UnsignedEip1559Tx {
  return { chainId: j.chainId, nonce: j.nonce, to: j.to as Hex | null, value: BigInt(j.value), data: j.data as Hex, gas: BigInt(j.gas), maxFeePerGas: BigInt(j.maxFeePerGas), maxPriorityFeePerGas: BigInt(j.maxPriorityFeePerGas), accessList: [] };
}

