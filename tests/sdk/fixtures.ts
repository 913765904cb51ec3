/** Dealt 2-of-3 shares (FAST_TEST, fixture primes) for tests that need no server. */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { getAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import type { KeyShare } from "@/lib/mpc";
import { dealAuxInfo, dealCoreShares } from "@/lib/mpc/dealer";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { generateRingPedersen } from "@/lib/mpc/ring-pedersen";

/** Party `index`'s share of a dealt key with the given secret. */
export function dealtShare(index: number, secret = 0x1234567890abcdefn): KeyShare {
  const primes = fixtureSafePrimes(1024);
  const aux = dealAuxInfo(
    [0, 1, 2].map((i) => {
      const [p, q, pHat, qHat] = primes.slice(4 * i, 4 * i + 4) as [bigint, bigint, bigint, bigint];
      const rp = generateRingPedersen(pHat, qHat);
      return { p, q, pHat, qHat, s: rp.s, t: rp.t };
    }),
  );
  const core = dealCoreShares({ secret, threshold: 2, n: 3 });
  return { core: core[index]!, aux: aux[index]! };
}

export function dealtAgentShare(): { share: KeyShare; address: string } {
  const share = dealtShare(0);
  const uncompressed = secp256k1.Point.fromHex(share.core.publicKey).toBytes(false);
  return { share, address: getAddress(publicKeyToAddress(`0x${bytesToHex(uncompressed)}`)) };
}
