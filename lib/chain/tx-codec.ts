/**
 * Pure EIP-1559 transaction encoding for an external signer (the threshold wallet): build the
 * unsigned payload, hash it, and attach an (r, s, yParity) signature produced elsewhere.
 * No RPC here; see tx-rpc.ts for filling fields from a node and broadcasting.
 */
import {
  keccak256,
  numberToHex,
  recoverAddress,
  recoverTransactionAddress,
  serializeTransaction,
  type AccessList,
  type Address,
  type Hex,
  type TransactionSerializableEIP1559,
  type TransactionSerializedEIP1559,
} from "viem";
import { InvalidSignatureError } from "./errors";

/** Every field the signer commits to, filled in (no defaults left to a library). */
export interface UnsignedEip1559Tx {
  chainId: number;
  nonce: number;
  /** null deploys a contract. */
  to: Address | null;
  value: bigint;
  data: Hex;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  accessList: AccessList;
}

export interface EcdsaSignature {
  r: Hex | bigint;
  s: Hex | bigint;
  yParity: number;
}

/** Order of the secp256k1 group. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

function toSerializable(tx: UnsignedEip1559Tx): TransactionSerializableEIP1559 {
  return {
    type: "eip1559",
    chainId: tx.chainId,
    nonce: tx.nonce,
    ...(tx.to === null ? {} : { to: tx.to }),
    value: tx.value,
    data: tx.data,
    gas: tx.gas,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    accessList: tx.accessList,
  };
}

/** The EIP-2718 typed payload `0x02 || rlp([...fields])` without signature. */
export function serializeUnsigned(tx: UnsignedEip1559Tx): TransactionSerializedEIP1559 {
  return serializeTransaction(toSerializable(tx));
}

/** The 32-byte digest an ECDSA signer must sign for this transaction. */
export function signingHash(tx: UnsignedEip1559Tx): Hex {
  return keccak256(serializeUnsigned(tx));
}

function toScalar(value: Hex | bigint, name: "r" | "s"): bigint {
  const scalar = typeof value === "bigint" ? value : BigInt(value);
  if (scalar <= 0n || scalar >= SECP256K1_N) throw new InvalidSignatureError(`${name} is outside [1, n-1]`);
  return scalar;
}

/**
 * Brings a signature into Ethereum's canonical form: EIP-2 rejects s > n/2, and flipping s to
 * n - s (the same signature, mirrored) flips the recovery parity. Threshold signers do not
 * necessarily produce low-s signatures.
 */
export function normalizeSignature(signature: EcdsaSignature): { r: Hex; s: Hex; yParity: 0 | 1 } {
  if (signature.yParity !== 0 && signature.yParity !== 1) throw new InvalidSignatureError("yParity must be 0 or 1");
  const r = toScalar(signature.r, "r");
  let s = toScalar(signature.s, "s");
  let yParity: 0 | 1 = signature.yParity;
  if (s > HALF_N) {
    s = SECP256K1_N - s;
    yParity = yParity === 0 ? 1 : 0;
  }
  return { r: numberToHex(r, { size: 32 }), s: numberToHex(s, { size: 32 }), yParity };
}

/** The signed raw transaction, ready for `eth_sendRawTransaction`. */
export function attachSignature(tx: UnsignedEip1559Tx, signature: EcdsaSignature): TransactionSerializedEIP1559 {
  return serializeTransaction(toSerializable(tx), normalizeSignature(signature));
}

/** The sender a signed raw transaction recovers to. */
export function recoverSender(signedTx: TransactionSerializedEIP1559): Promise<Address> {
  return recoverTransactionAddress({ serializedTransaction: signedTx });
}

/**
 * Finds the recovery parity for a signature that came without one, by recovering both
 * candidates and keeping the one that yields `expectedSigner`.
 */
export async function recoverYParity(hash: Hex, signature: { r: Hex | bigint; s: Hex | bigint }, expectedSigner: Address): Promise<0 | 1> {
  for (const yParity of [0, 1] as const) {
    const candidate = normalizeSignature({ ...signature, yParity });
    const recovered = await recoverAddress({ hash, signature: candidate });
    if (recovered.toLowerCase() === expectedSigner.toLowerCase()) return yParity;
  }
  throw new InvalidSignatureError(`signature does not recover to ${expectedSigner} with either parity`);
}
