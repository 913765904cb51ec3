import { getAddress, isAddressEqual, recoverAddress, recoverMessageAddress, type Address, type Hex } from "viem";
import { normalizeEcdsaSignature, withEthSignV } from "@/lib/safe/transaction";

/**
 * Which owner signed a safeTxHash, and the signature in the form Safe.checkSignatures accepts.
 * Accepted: an ECDSA signature over the hash itself (EIP-712 signTypedData of the SafeTx, or a raw
 * hash signature; v = 27/28, or 0/1) and eth_sign/personal_sign over the 32 hash bytes (stored with
 * v + 4, as the Safe expects). Pure apart from the elliptic-curve recovery.
 */
export type RecoveredOwnerSignature = { owner: Address; signature: Hex; kind: "hash" | "eth_sign" };

export async function recoverSafeSignature(safeTxHash: Hex, signature: Hex, owners: readonly Address[]): Promise<{ ok: true; value: RecoveredOwnerSignature } | { ok: false; recovered: Address[] }> {
  let sig: Hex;
  try {
    sig = normalizeEcdsaSignature(signature);
  } catch {
    return { ok: false, recovered: [] };
  }
  const isOwner = (a: Address) => owners.some((o) => isAddressEqual(o, a));
  const recovered: Address[] = [];
  try {
    const direct = getAddress(await recoverAddress({ hash: safeTxHash, signature: sig }));
    if (isOwner(direct)) return { ok: true, value: { owner: direct, signature: sig, kind: "hash" } };
    recovered.push(direct);
  } catch {
    // not recoverable as a hash signature
  }
  try {
    const prefixed = getAddress(await recoverMessageAddress({ message: { raw: safeTxHash }, signature: sig }));
    if (isOwner(prefixed)) return { ok: true, value: { owner: prefixed, signature: withEthSignV(sig), kind: "eth_sign" } };
    recovered.push(prefixed);
  } catch {
    // nor as eth_sign
  }
  return { ok: false, recovered };
}
