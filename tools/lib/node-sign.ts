import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { KeyShare } from "@/lib/mpc/key-share";
import { NoncePool, ownPaillierKey, signSessionNonceDemand } from "@/lib/mpc/nonces";
import type { SecurityProfile } from "@/lib/mpc/params";
import { startSign, stepSign, type EcdsaSignature, type SignState } from "@/lib/mpc/sign";
import { timedRun, type TimedRun } from "./timed-run";

/**
 * One signing session of `signers` in this process (benchmarks), on a fresh message and session id.
 * `pooled`: each party's Paillier nonces are precomputed first (spec §6.4; the filling is not timed).
 */
export async function nodeSigning(shares: readonly KeyShare[], signers: number[], profile: SecurityProfile, pooled: boolean): Promise<TimedRun<EcdsaSignature>> {
  const pools = new Map<number, NoncePool>();
  if (pooled) {
    for (const i of signers) {
      const pool = new NoncePool();
      const own = ownPaillierKey(shares[i]!);
      await pool.fill(signSessionNonceDemand(shares[i]!, signers, profile), { key: (N) => (N === own.N ? own : undefined), pause: async () => undefined });
      pools.set(i, pool);
    }
  }
  const messageHash = bytesToHex(keccak_256(randomBytes(64)));
  const sid = bytesToHex(randomBytes(32)); // one session: every party's messages carry it
  return timedRun<SignState, EcdsaSignature>(
    signers,
    (i) => startSign({ share: shares[i]!, signers, messageHash, sid, profile, nonces: pools.get(i) }),
    (s, incoming) => stepSign(s, incoming, { nonces: pools.get(s.self) }),
  );
}
