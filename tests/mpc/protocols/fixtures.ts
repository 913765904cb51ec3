/** Shared test setup: fixture primes, dealt aux info and keygen runs (FAST_TEST profile). */
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import type { AuxPrimes } from "@/lib/mpc/aux";
import { dealAuxInfo } from "@/lib/mpc/dealer";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import type { AuxInfo, CoreKeyShare, KeyShare } from "@/lib/mpc/key-share";
import { startKeygen, stepKeygen, type KeygenState } from "@/lib/mpc/keygen";
import { FAST_TEST } from "@/lib/mpc/params";
import { generateRingPedersen } from "@/lib/mpc/ring-pedersen";
import { runParties } from "./harness";

export const FIXTURE_PRIMES: bigint[] = fixtureSafePrimes(1024);

/** Four distinct fixture primes per party; `offset` shifts the selection so runs can differ. */
export function fixturePrimes(n: number, offset = 0): AuxPrimes[] {
  if (4 * n > FIXTURE_PRIMES.length) throw new Error(`fixture has only ${FIXTURE_PRIMES.length} primes`);
  const at = (k: number) => FIXTURE_PRIMES[(k + offset) % FIXTURE_PRIMES.length]!;
  return Array.from({ length: n }, (_, i) => ({ p: at(4 * i), q: at(4 * i + 1), pHat: at(4 * i + 2), qHat: at(4 * i + 3) }));
}

/** Aux info built by a trusted dealer from fixture primes (no proofs exchanged). */
export function dealtAux(n: number): AuxInfo[] {
  return dealAuxInfo(
    fixturePrimes(n).map((pr) => {
      const rp = generateRingPedersen(pr.pHat, pr.qHat);
      return { ...pr, s: rp.s, t: rp.t };
    }),
  );
}

export function randomSid(): string {
  return bytesToHex(randomBytes(32));
}

export function runKeygenProtocol(n: number, t: number): CoreKeyShare[] {
  const sid = randomSid();
  const starts = Array.from({ length: n }, (_, i) => startKeygen({ index: i, n, threshold: t, sid, profile: FAST_TEST }));
  const { outputs, aborts } = runParties<KeygenState, CoreKeyShare>(starts, stepKeygen);
  if (aborts.size > 0) throw new Error(`keygen aborted: ${JSON.stringify([...aborts.values()])}`);
  return Array.from({ length: n }, (_, i) => outputs.get(i)!);
}

export function combine(core: readonly CoreKeyShare[], aux: readonly AuxInfo[]): KeyShare[] {
  return core.map((c, i) => ({ core: c, aux: aux[i]! }));
}
