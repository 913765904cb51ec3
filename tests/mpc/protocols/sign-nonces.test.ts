/**
 * Precomputed Paillier nonces in signing (spec §6.4, lib/mpc/nonces.ts): a session takes exactly
 * the announced demand from the pool, each entry once, the pooled nonces really mask the
 * ciphertexts, and the signature is valid whether the pool is full, short or for another key.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, hexToBytes, randomBytes } from "@noble/hashes/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { modInv } from "@/lib/mpc/bigint";
import { dealCoreShares } from "@/lib/mpc/dealer";
import type { KeyShare } from "@/lib/mpc/key-share";
import {
  freshNonce,
  isMaskDemand,
  NoncePool,
  scaleDemand,
  signSessionNonceDemand,
  signStartNonceDemand,
  signStepNonceDemand,
  type MaskSlot,
  type NoncePower,
  type NonceSource,
  type PedersenMask,
} from "@/lib/mpc/nonces";
import { paillierPublicKey, paillierSecretKey } from "@/lib/mpc/paillier";
import { FAST_TEST } from "@/lib/mpc/params";
import { startSign, stepSign, type EcdsaSignature, type SignState } from "@/lib/mpc/sign";
import { combine, dealtAux, FIXTURE_PRIMES, randomSid, runKeygenProtocol } from "./fixtures";
import { runParties } from "./harness";

/** Records every nonce and mask handed out, to check none is handed out twice. */
class RecordingPool implements NonceSource {
  readonly taken: { N: bigint; nonce: NoncePower }[] = [];
  readonly masks: { slot: MaskSlot; mask: PedersenMask }[] = [];
  constructor(readonly pool: NoncePool) {}
  take(N: bigint): NoncePower | undefined {
    const nonce = this.pool.take(N);
    if (nonce) this.taken.push({ N, nonce });
    return nonce;
  }
  takeMask(slot: MaskSlot): PedersenMask | undefined {
    const mask = this.pool.takeMask(slot);
    if (mask) this.masks.push({ slot, mask });
    return mask;
  }
}

async function filledPool(share: KeyShare, signers: number[], sessions = 1): Promise<NoncePool> {
  const pool = new NoncePool();
  const own = paillierSecretKey(BigInt("0x" + share.aux.p), BigInt("0x" + share.aux.q));
  await pool.fill(scaleDemand(signSessionNonceDemand(share, signers, FAST_TEST), sessions), { key: (N) => (N === own.N ? own : undefined), pause: async () => undefined });
  return pool;
}

function signWith(shares: readonly KeyShare[], signers: number[], sources: Map<number, NonceSource | undefined>) {
  const sid = randomSid();
  const messageHash = bytesToHex(keccak_256(randomBytes(32)));
  const starts = signers.map((i) => startSign({ share: shares[i]!, signers, messageHash, sid, profile: FAST_TEST, nonces: sources.get(i) }));
  return { messageHash, ...runParties<SignState, EcdsaSignature>(starts, (s, incoming) => stepSign(s, incoming, { nonces: sources.get(s.self) }), { roundTrip: true }) };
}

function expectValid(sig: EcdsaSignature, share: KeyShare): void {
  const compact = new secp256k1.Signature(BigInt("0x" + sig.r), BigInt("0x" + sig.s)).toBytes("compact");
  expect(secp256k1.verify(compact, hexToBytes(sig.messageHash), hexToBytes(share.core.publicKey), { prehash: false })).toBe(true);
}

const total = (d: { count: number }[]) => d.reduce((a, x) => a + x.count, 0);

describe("signing with precomputed Paillier nonces", () => {
  let shares: KeyShare[];

  beforeAll(() => {
    shares = combine(runKeygenProtocol(3, 2), dealtAux(3));
  });

  it("takes exactly one session's demand from each party's pool, every nonce once, and signs validly", async () => {
    const signers = [0, 2];
    const pools = new Map(await Promise.all(signers.map(async (i) => [i, new RecordingPool(await filledPool(shares[i]!, signers))] as const)));
    const { outputs, aborts, transcript } = signWith(shares, signers, new Map(pools));
    expect(aborts.size).toBe(0);
    expect(outputs.size).toBe(2);
    expectValid(outputs.get(0)!, shares[0]!);
    for (const [i, rec] of pools) {
      const demand = signSessionNonceDemand(shares[i]!, signers, FAST_TEST);
      // 2 + 2 own nonces in round 1, 4 own + 4 of the peer's in round 2; masks under the peer's
      // ring-Pedersen parameters, 2 + 4 of range ℓ and 2 + 4 of range ℓ + ε.
      expect(demand.map((d) => d.count)).toEqual([8, 4, 6, 6]);
      expect(rec.taken.length + rec.masks.length).toBe(total(demand));
      for (const d of demand) expect(isMaskDemand(d) ? rec.pool.maskSize(d.mask) : rec.pool.size(d.N)).toBe(0);
      const distinct = new Set(rec.taken.map((t) => `${t.N.toString(16)}:${t.nonce.r.toString(16)}`));
      expect(distinct.size).toBe(rec.taken.length);
      expect(new Set(rec.masks.map((m) => m.mask.y.toString(16))).size).toBe(rec.masks.length);
      // Every mask is for the peer's parameters, in the range its slot names.
      const peer = signers.find((j) => j !== i)!;
      for (const { slot, mask } of rec.masks) {
        expect(slot.params.N.toString(16)).toBe(shares[i]!.aux.parties[peer]!.NHat);
        expect(2n * (mask.y < 0n ? -mask.y : mask.y)).toBeLessThanOrEqual((1n << BigInt(slot.rangeBits)) * slot.params.N);
      }
      // The first pooled nonce masks K: K · (r^N)^−1 mod N² is 1 + m·N, i.e. ≡ 1 mod N.
      const own = paillierPublicKey(BigInt("0x" + shares[i]!.aux.parties[i]!.N));
      const K = BigInt("0x" + (transcript.find((m) => m.from === i && m.round === 1 && m.to === "all")!.payload as { K: string }).K);
      const first = rec.taken[0]!;
      expect(first.N).toBe(own.N);
      const unmasked = (K * modInv(first.nonce.rN, own.N2)) % own.N2;
      expect(unmasked % own.N).toBe(1n);
    }
  });

  it("falls back to computing nonces when the pool runs short, and ignores nonces for other keys", async () => {
    const signers = [1, 2];
    const short = new NoncePool();
    const own1 = paillierPublicKey(BigInt("0x" + shares[1]!.aux.parties[1]!.N));
    for (let k = 0; k < 3; k++) short.add(own1.N, freshNonce(own1));
    const foreign = new NoncePool();
    const other = paillierSecretKey(FIXTURE_PRIMES[14]!, FIXTURE_PRIMES[15]!);
    for (let k = 0; k < 4; k++) foreign.add(other.N, freshNonce(other));
    const { outputs, aborts } = signWith(shares, signers, new Map([[1, short], [2, foreign]]));
    expect(aborts.size).toBe(0);
    expectValid(outputs.get(1)!, shares[1]!);
    expect(short.used).toBe(3);
    expect(short.size(own1.N)).toBe(0);
    expect(foreign.used).toBe(0);
    expect(foreign.size(other.N)).toBe(4);
  });

  it("the known-address vector signs with pooled nonces on both sides", async () => {
    const dealt = combine(dealCoreShares({ secret: 1n, threshold: 2, n: 3 }), dealtAux(3));
    const signers = [0, 1];
    const pools = new Map<number, NonceSource>(await Promise.all(signers.map(async (i) => [i, await filledPool(dealt[i]!, signers)] as const)));
    const { outputs, aborts } = signWith(dealt, signers, pools);
    expect(aborts.size).toBe(0);
    const sig = outputs.get(1)!;
    const recovered = new secp256k1.Signature(BigInt("0x" + sig.r), BigInt("0x" + sig.s)).addRecoveryBit(sig.v).recoverPublicKey(hexToBytes(sig.messageHash));
    expect(recovered.toHex(true)).toBe(dealt[0]!.core.publicKey);
    expect(dealt[0]!.core.publicKey).toBe(secp256k1.Point.BASE.toHex(true));
  });

  it("announces each step's demand: round 1 at start, round 2 after r1 (or after the echo round), nothing later", () => {
    const signers = [0, 1, 2];
    const share = combine(runKeygenProtocol(3, 3), dealtAux(3))[0]!;
    // 2 + 2·2 own nonces, and per peer 2 masks of each range.
    expect(total(signStartNonceDemand(share, signers, FAST_TEST))).toBe(2 + 2 * 2 + 2 * (2 + 2));
    const { state } = startSign({ share, signers, messageHash: bytesToHex(randomBytes(32)), sid: randomSid(), profile: FAST_TEST });
    expect(state.echo).toBe(true);
    expect(signStepNonceDemand(state)).toEqual([]);
    const atEcho = { ...state, round: 2 };
    const d = signStepNonceDemand(atEcho);
    expect(d.map((x) => x.count)).toEqual([8, 4, 4, 4, 4, 4, 4]);
    expect(d.filter(isMaskDemand).map((x) => [x.mask.profile, x.mask.rangeBits])).toEqual([
      ["fast-test", FAST_TEST.ell],
      ["fast-test", FAST_TEST.ell + FAST_TEST.epsilon],
      ["fast-test", FAST_TEST.ell],
      ["fast-test", FAST_TEST.ell + FAST_TEST.epsilon],
    ]);
    expect(signStepNonceDemand({ ...state, round: 3 })).toEqual([]);
    expect(signStepNonceDemand({ ...atEcho, secret: null })).toEqual([]);
    expect(() => signStartNonceDemand(shares[0]!, [1, 2], FAST_TEST)).toThrow();
  });
});

