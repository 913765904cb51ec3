import { randomScalar } from "@/lib/mpc/curve";
import type { KeyShare } from "@/lib/mpc";
import { dealAuxInfo, dealCoreShares } from "@/lib/mpc/dealer";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { generateRingPedersen } from "@/lib/mpc/ring-pedersen";

/**
 * 2-of-3 key shares of `secret` from a trusted dealer (lib/mpc/dealer.ts) over the fixture 1024-bit
 * primes (fast-test sizes): party i's aux info takes the four primes from `primeOffsets[i]`. For tests
 * that need a key, not a key generation. No test-runner imports (the fault rig and the bench use it).
 */
export function dealtKeyShares(primeOffsets: readonly [number, number, number] = [0, 4, 8], secret: bigint = randomScalar()): KeyShare[] {
  const primes = fixtureSafePrimes(1024);
  const aux = dealAuxInfo(
    primeOffsets.map((o) => {
      const [p, q, pHat, qHat] = primes.slice(o, o + 4) as [bigint, bigint, bigint, bigint];
      const rp = generateRingPedersen(pHat, qHat);
      return { p, q, pHat, qHat, s: rp.s, t: rp.t };
    }),
  );
  return dealCoreShares({ secret, threshold: 2, n: 3 }).map((core, i) => ({ core, aux: aux[i]! }));
}
