/** A dealt 2-of-3 agent share (FAST_TEST, fixture primes) for share-file tests that need no server. */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { getAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import type { KeyShare } from "@/lib/mpc";
import { dealAuxInfo, dealCoreShares } from "@/lib/mpc/dealer";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { generateRingPedersen } from "@/lib/mpc/ring-pedersen";

export function dealtAgentShare(): { share: KeyShare; address: string } {
  const primes = fixtureSafePrimes(1024);
  const aux = dealAuxInfo(
    [0, 1, 2].map((i) => {
      const [p, q, pHat, qHat] = primes.slice(4 * i, 4 * i + 4) as [bigint, bigint, bigint, bigint];
      const rp = generateRingPedersen(pHat, qHat);
      return { p, q, pHat, qHat, s: rp.s, t: rp.t };
    }),
  );
  const core = dealCoreShares({ secret: 0x1234567890abcdefn, threshold: 2, n: 3 });
  const share = { core: core[0]!, aux: aux[0]! };
  const uncompressed = secp256k1.Point.fromHex(share.core.publicKey).toBytes(false);
  return { share, address: getAddress(publicKeyToAddress(`0x${bytesToHex(uncompressed)}`)) };
}
