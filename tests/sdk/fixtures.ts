/** Dealt 2-of-3 shares (FAST_TEST, fixture primes) for tests that need no server. */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { getAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import type { KeyShare } from "@/lib/mpc";
import { dealtKeyShares } from "../helpers/dealt-shares";

/** Party `index`'s share of a dealt key with the given secret. */
export function dealtShare(index: number, secret = 0x1234567890abcdefn): KeyShare {
  return dealtKeyShares([0, 4, 8], secret)[index]!;
}

export function dealtAgentShare(): { share: KeyShare; address: string } {
  const share = dealtShare(0);
  const uncompressed = secp256k1.Point.fromHex(share.core.publicKey).toBytes(false);
  return { share, address: getAddress(publicKeyToAddress(`0x${bytesToHex(uncompressed)}`)) };
}
