/**
 * Safe transactions without a Safe SDK (pure, no I/O): the SafeTx EIP-712 hash per version and
 * chain, MultiSendCallOnly batching, and the packed owner-signature bytes execTransaction takes.
 */
import {
  concat,
  encodeFunctionData,
  encodePacked,
  getAddress,
  hashTypedData,
  hexToBigInt,
  isAddressEqual,
  numberToHex,
  size,
  sliceHex,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
} from "viem";

export type SafeCall = { to: Address; value: bigint; data: Hex };

export type SafeTransactionData = {
  to: Address;
  value: bigint;
  data: Hex;
  /** 0 = CALL, 1 = DELEGATECALL (MultiSend batches are delegate-called). */
  operation: 0 | 1;
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: Address;
  refundReceiver: Address;
  nonce: bigint;
};

export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** Safe < 1.3.0 used "dataGas" and a domain without chainId; not supported here. */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map((p) => Number.parseInt(p, 10));
  return a > major || (a === major && b >= minor);
}

export class UnsupportedSafeVersionError extends Error {
  override name = "UnsupportedSafeVersionError";
}

/** The EIP-712 domain of a Safe: { chainId, verifyingContract } since 1.3.0. */
export function safeDomain(version: string, chainId: number, safeAddress: Address) {
  if (!versionAtLeast(version, 1, 3)) throw new UnsupportedSafeVersionError(`Safe ${version} is not supported (1.3.0 or later)`);
  return { chainId, verifyingContract: getAddress(safeAddress) } as const;
}

/** The safeTxHash every owner signs (Safe.getTransactionHash). */
export function safeTxHash(args: { version: string; chainId: number; safeAddress: Address; tx: SafeTransactionData }): Hex {
  const { tx } = args;
  return hashTypedData({
    domain: safeDomain(args.version, args.chainId, args.safeAddress),
    types: SAFE_TX_TYPES,
    primaryType: "SafeTx",
    message: {
      to: tx.to,
      value: tx.value,
      data: tx.data,
      operation: tx.operation,
      safeTxGas: tx.safeTxGas,
      baseGas: tx.baseGas,
      gasPrice: tx.gasPrice,
      gasToken: tx.gasToken,
      refundReceiver: tx.refundReceiver,
      nonce: tx.nonce,
    },
  });
}

export const MULTI_SEND_ABI = [
  { type: "function", name: "multiSend", stateMutability: "payable", inputs: [{ name: "transactions", type: "bytes" }], outputs: [] },
] as const;

/** MultiSend's packed encoding: operation (uint8) ‖ to ‖ value ‖ data length ‖ data, per call. */
export function encodeMultiSendTransactions(calls: readonly SafeCall[]): Hex {
  return concat(calls.map((c) => encodePacked(["uint8", "address", "uint256", "uint256", "bytes"], [0, getAddress(c.to), c.value, BigInt(size(c.data)), c.data])));
}

/**
 * One call becomes a plain CALL; several become one DELEGATECALL to MultiSendCallOnly (which
 * refuses nested delegate calls). Gas fields are zero: the executor pays, no refund.
 */
export function buildSafeTransaction(calls: readonly SafeCall[], opts: { nonce: bigint; multiSendCallOnly: Address }): SafeTransactionData {
  if (calls.length === 0) throw new Error("A Safe transaction needs at least one call");
  const base = { safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress, nonce: opts.nonce } as const;
  if (calls.length === 1) {
    const [c] = calls as [SafeCall];
    return { to: getAddress(c.to), value: c.value, data: c.data, operation: 0, ...base };
  }
  const data = encodeFunctionData({ abi: MULTI_SEND_ABI, functionName: "multiSend", args: [encodeMultiSendTransactions(calls)] });
  return { to: getAddress(opts.multiSendCallOnly), value: 0n, data, operation: 1, ...base };
}

/** Decimal-string form for JSON (the seed's safeTransaction without safeTxHash). */
export type SafeTransactionJson = {
  to: string;
  value: string;
  data: string;
  nonce: string;
  operation: number;
  safeTxGas: string;
  baseGas: string;
  gasPrice: string;
  gasToken: string;
  refundReceiver: string;
};

export function safeTransactionToJson(tx: SafeTransactionData): SafeTransactionJson {
  return {
    to: tx.to,
    value: tx.value.toString(),
    data: tx.data,
    nonce: tx.nonce.toString(),
    operation: tx.operation,
    safeTxGas: tx.safeTxGas.toString(),
    baseGas: tx.baseGas.toString(),
    gasPrice: tx.gasPrice.toString(),
    gasToken: tx.gasToken,
    refundReceiver: tx.refundReceiver,
  };
}

export function safeTransactionFromJson(j: SafeTransactionJson): SafeTransactionData {
  return {
    to: getAddress(j.to),
    value: BigInt(j.value),
    data: j.data as Hex,
    nonce: BigInt(j.nonce),
    operation: j.operation === 1 ? 1 : 0,
    safeTxGas: BigInt(j.safeTxGas),
    baseGas: BigInt(j.baseGas),
    gasPrice: BigInt(j.gasPrice),
    gasToken: getAddress(j.gasToken),
    refundReceiver: getAddress(j.refundReceiver),
  };
}

/** An owner's signature in the form execTransaction checks: 65 bytes r ‖ s ‖ v. */
export type OwnerSignature = { owner: Address; signature: Hex };

/**
 * v = 27/28: ECDSA over safeTxHash itself (EIP-712 signTypedData, or a raw hash signature).
 * v = 31/32: eth_sign over safeTxHash (personal_sign of the 32 raw bytes); the Safe adds the prefix.
 */
export function withEthSignV(signature: Hex): Hex {
  const v = Number(hexToBigInt(sliceHex(signature, 64, 65)));
  return concat([sliceHex(signature, 0, 64), numberToHex(v + 4, { size: 1 })]);
}

/** Normalises v to 27/28 (some signers return 0/1). Throws on anything that is not 65 bytes. */
export function normalizeEcdsaSignature(signature: Hex): Hex {
  if (size(signature) !== 65) throw new Error("A signature must be 65 bytes (r ‖ s ‖ v)");
  const v = Number(hexToBigInt(sliceHex(signature, 64, 65)));
  if (v === 0 || v === 1) return concat([sliceHex(signature, 0, 64), numberToHex(v + 27, { size: 1 })]);
  if (v !== 27 && v !== 28) throw new Error(`Unsupported signature v=${v}`);
  return signature;
}

/** Owners' signatures concatenated in ascending owner order, as Safe.checkSignatures requires. */
export function packSignatures(signatures: readonly OwnerSignature[]): Hex {
  const sorted = [...signatures].sort((a, b) => (BigInt(a.owner) < BigInt(b.owner) ? -1 : BigInt(a.owner) > BigInt(b.owner) ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) if (isAddressEqual(sorted[i - 1]!.owner, sorted[i]!.owner)) throw new Error("Duplicate owner signature");
  return concat(sorted.map((s) => s.signature));
}

/** Safe.setup(...) calldata for a fresh Safe (no module setup, no payment). */
export function safeSetupCalldata(abi: readonly unknown[], args: { owners: readonly Address[]; threshold: number; fallbackHandler: Address }): Hex {
  return encodeFunctionData({
    abi: abi as Abi,
    functionName: "setup",
    args: [args.owners.map((o) => getAddress(o)), BigInt(args.threshold), zeroAddress, "0x", getAddress(args.fallbackHandler), zeroAddress, 0n, zeroAddress],
  });
}
