/**
 * Precomputed secret powers (spec §6.4): r^N mod N² does not depend on the message, so a party
 * can compute a few ahead of time (server: a background worker; browser: while the dialog is open;
 * agent: at start-up) and signing only multiplies by them. Each pair (r, r^N) is secret — r opens
 * the ciphertext it masks — and must be used exactly once: `take` hands an entry out and forgets it.
 *
 * The same holds for the mask half t^y mod N̂ of a prover's ring-Pedersen commitments s^x·t^y: y is
 * drawn from a range fixed by the profile and the verifier's N̂, never from the statement, so masks
 * (y, t^y) are pooled per verifier and range too (`takeMask`). They are the larger part of a
 * commitment's exponent (ℓ + ε + |N̂| bits against the witness's ℓ to ℓ' + ε).
 *
 * The protocol asks a `NonceSource` per modulus (per verifier and range for masks) and computes
 * whatever the source lacks itself, so a pool that runs dry (or holds entries for another key) only
 * costs time.
 */
import { bitLength, randomUnit } from "./bigint";
import { noncePower, paillierPublicKey, paillierSecretKey, type NoncePower, type PaillierPublicKey, type PaillierSecretKey } from "./paillier";
import type { KeyShare } from "./key-share";
import type { SecurityProfile } from "./params";
import { profileNamed } from "./protocol";
import { sampleSymmetric } from "./proofs/common";
import { pedersenContext, publicRingPedersen, type PedersenMask, type RingPedersenParams } from "./ring-pedersen";
import type { SignState } from "./sign";

export type { NoncePower } from "./paillier";

export interface NonceSource {
  /** One unused nonce for modulus N, removed from the source; undefined when there is none. */
  take(N: bigint): NoncePower | undefined;
  /** One unused ring-Pedersen mask for `slot`, removed from the source; undefined when there is none. */
  takeMask?(slot: MaskSlot): PedersenMask | undefined;
}

export type { PedersenMask } from "./ring-pedersen";

/**
 * Which masks: the verifier's ring-Pedersen parameters, the range 2^rangeBits·N̂ (ℓ for the
 * witnesses' masks μ, m; ℓ + ε for γ, δ), and the profile (it sizes the fixed-base tables).
 */
export interface MaskSlot {
  readonly params: RingPedersenParams;
  readonly rangeBits: number;
  readonly profile: SecurityProfile["name"];
}

/** The masks a proof under this profile draws: range ℓ (μ, m) and ℓ + ε (γ, δ), for `params`. */
export function maskSlots(params: RingPedersenParams, profile: SecurityProfile): { ell: MaskSlot; ellEps: MaskSlot } {
  const pub = publicRingPedersen(params);
  return {
    ell: { params: pub, rangeBits: profile.ell, profile: profile.name },
    ellEps: { params: pub, rangeBits: profile.ell + profile.epsilon, profile: profile.name },
  };
}

/** The pool key of a slot (every public value that determines the masks it holds). */
export function maskSlotKey(slot: MaskSlot): string {
  const { N, s, t } = slot.params;
  return `${slot.profile}:${slot.rangeBits}:${N.toString(16)}:${s.toString(16)}:${t.toString(16)}`;
}

/** y ← ±2^rangeBits·N̂ and t^y mod N̂ on the constant-time fixed-base path (the verifier's public tables). */
export function freshMask(slot: MaskSlot): PedersenMask {
  const y = sampleSymmetric((1n << BigInt(slot.rangeBits)) * slot.params.N);
  const ped = pedersenContext(publicRingPedersen(slot.params), profileNamed(slot.profile));
  return { y, ty: ped.maskPower(y, slot.rangeBits + bitLength(slot.params.N)) };
}

/** A pooled nonce for `key`, or a fresh one computed now. */
export function nonceFor(key: PaillierPublicKey, source?: NonceSource): NoncePower {
  const pooled = source?.take(key.N);
  if (pooled) return pooled;
  return freshNonce(key);
}

/** r ← Z*_N and r^N mod N² (CRT when `key` is a secret key). */
export function freshNonce(key: PaillierPublicKey): NoncePower {
  const r = randomUnit(key.N);
  return { r, rN: noncePower(key, r) };
}

/** The party's own Paillier key from its share (secret: CRT for its nonces). */
export function ownPaillierKey(share: KeyShare): PaillierSecretKey {
  return paillierSecretKey(BigInt("0x" + share.aux.p), BigInt("0x" + share.aux.q));
}

/** Another party's Paillier key from its modulus. */
export function publicPaillierKey(N: bigint): PaillierPublicKey {
  return paillierPublicKey(N);
}

/** How many entries one protocol step takes: nonces per modulus N, masks per slot. */
export type NonceDemandEntry = { readonly N: bigint; readonly count: number } | { readonly mask: MaskSlot; readonly count: number };
export type NonceDemand = NonceDemandEntry[];

export function isMaskDemand(d: NonceDemandEntry): d is { readonly mask: MaskSlot; readonly count: number } {
  return "mask" in d;
}

/** Own-key nonces of round 1: K and G, and one Π^enc-elg mask per proof (two per peer). */
const START_OWN = (peers: number) => 2 + 2 * peers;
/** Round 2 per peer: F and F̂ and the Π^aff-g masks of Y (own key); D, D̂ and the masks of A (peer's key). */
const R2_OWN_PER_PEER = 4;
const R2_PEER = 4;
/** Ring-Pedersen masks per peer (the verifier's parameters), each of range ℓ and of ℓ + ε: Π^enc-elg μ, γ ×2 in round 1, Π^aff-g (m, μ), (γ, δ) ×2 in round 2. */
const START_MASKS_PER_RANGE = 2;
const R2_MASKS_PER_RANGE = 4;

function maskDemand(params: RingPedersenParams, profile: SecurityProfile, perRange: number): NonceDemand {
  const { ell, ellEps } = maskSlots(params, profile);
  return [
    { mask: ell, count: perRange },
    { mask: ellEps, count: perRange },
  ];
}

/** The masks one signing session takes under one peer's ring-Pedersen parameters (both ranges). */
export function sessionMaskDemand(params: RingPedersenParams, profile: SecurityProfile): NonceDemand {
  return maskDemand(params, profile, START_MASKS_PER_RANGE + R2_MASKS_PER_RANGE);
}

function ownPosition(share: KeyShare, signers: readonly number[]): number {
  const pos = signers.indexOf(share.core.index);
  if (pos < 0) throw new Error("the share's party is not among the signers");
  return pos;
}

const pedersenOf = (a: { NHat: string; s: string; t: string }): RingPedersenParams => ({ N: BigInt("0x" + a.NHat), s: BigInt("0x" + a.s), t: BigInt("0x" + a.t) });
const peersOf = (share: KeyShare, signers: readonly number[]) => signers.filter((j) => j !== share.core.index).map((j) => share.aux.parties[j]!);

/** What startSign takes: own-key nonces, and each peer's round-1 masks. */
export function signStartNonceDemand(share: KeyShare, signers: readonly number[], profile: SecurityProfile): NonceDemand {
  ownPosition(share, signers);
  const own = BigInt("0x" + share.aux.parties[share.core.index]!.N);
  const peers = peersOf(share, signers);
  return [{ N: own, count: START_OWN(peers.length) }, ...peers.flatMap((a) => maskDemand(pedersenOf(a), profile, START_MASKS_PER_RANGE))];
}

/** What the next stepSign from `state` takes when it completes its round (round 2 only). */
export function signStepNonceDemand(state: SignState): NonceDemand {
  // Round 2 follows r1 directly, or the echo round (round 2) when it is on.
  if (state.round !== (state.echo ? 2 : 1) || state.secret === null) return [];
  const profile = profileNamed(state.profile);
  const peers = state.aux.filter((_, p) => p !== state.position);
  const own = BigInt("0x" + state.aux[state.position]!.N);
  return [
    { N: own, count: R2_OWN_PER_PEER * peers.length },
    ...peers.map((a) => ({ N: BigInt("0x" + a.N), count: R2_PEER })),
    ...peers.flatMap((a) => maskDemand(pedersenOf(a), profile, R2_MASKS_PER_RANGE)),
  ];
}

/** Everything one whole signing session takes (what a pool keeps ready per session). */
export function signSessionNonceDemand(share: KeyShare, signers: readonly number[], profile: SecurityProfile): NonceDemand {
  ownPosition(share, signers);
  const own = BigInt("0x" + share.aux.parties[share.core.index]!.N);
  const peers = peersOf(share, signers);
  return [
    { N: own, count: START_OWN(peers.length) + R2_OWN_PER_PEER * peers.length },
    ...peers.map((a) => ({ N: BigInt("0x" + a.N), count: R2_PEER })),
    ...peers.flatMap((a) => sessionMaskDemand(pedersenOf(a), profile)),
  ];
}

const keyOf = (N: bigint) => N.toString(16);

/**
 * An in-memory pool (browser worker, agent process, one server step's claimed batch). Entries are
 * handed out once, oldest first; `used` counts what was taken (nonces and masks).
 */
export class NoncePool implements NonceSource {
  private readonly entries = new Map<string, NoncePower[]>();
  private readonly masks = new Map<string, { slot: MaskSlot; list: PedersenMask[] }>();
  used = 0;

  add(N: bigint, ...nonces: NoncePower[]): void {
    const list = this.entries.get(keyOf(N)) ?? [];
    list.push(...nonces);
    this.entries.set(keyOf(N), list);
  }

  addMasks(slot: MaskSlot, ...masks: PedersenMask[]): void {
    const key = maskSlotKey(slot);
    const held = this.masks.get(key) ?? { slot, list: [] };
    held.list.push(...masks);
    this.masks.set(key, held);
  }

  take(N: bigint): NoncePower | undefined {
    const list = this.entries.get(keyOf(N));
    const next = list?.shift();
    if (next) this.used++;
    return next;
  }

  takeMask(slot: MaskSlot): PedersenMask | undefined {
    const next = this.masks.get(maskSlotKey(slot))?.list.shift();
    if (next) this.used++;
    return next;
  }

  size(N: bigint): number {
    return this.entries.get(keyOf(N))?.length ?? 0;
  }

  maskSize(slot: MaskSlot): number {
    return this.masks.get(maskSlotKey(slot))?.list.length ?? 0;
  }

  /** Whatever was not taken (e.g. to give back to a store), removed from this pool. */
  drain(): { N: bigint; nonces: NoncePower[] }[] {
    const out = [...this.entries].filter(([, list]) => list.length > 0).map(([h, list]) => ({ N: BigInt("0x" + h), nonces: list }));
    this.entries.clear();
    return out;
  }

  /** The masks not taken, removed from this pool (drain's counterpart). */
  drainMasks(): { slot: MaskSlot; masks: PedersenMask[] }[] {
    const out = [...this.masks.values()].filter((m) => m.list.length > 0).map((m) => ({ slot: m.slot, masks: m.list }));
    this.masks.clear();
    return out;
  }

  /**
   * Computes entries until `demand` is covered, one at a time, yielding to the event loop between
   * them (`pause`, default a macrotask) so a page or a server stays responsive; stops when `signal`
   * aborts. `key` supplies a secret key (CRT) for moduli it knows, else the public key is used.
   */
  async fill(demand: NonceDemand, opts: { key?: (N: bigint) => PaillierPublicKey | undefined; signal?: AbortSignal; pause?: () => Promise<void> } = {}): Promise<number> {
    const pause = opts.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    let added = 0;
    for (const d of demand) {
      const have = isMaskDemand(d) ? () => this.maskSize(d.mask) : () => this.size(d.N);
      const key = isMaskDemand(d) ? undefined : (opts.key?.(d.N) ?? paillierPublicKey(d.N));
      while (have() < d.count) {
        if (opts.signal?.aborted) return added;
        if (isMaskDemand(d)) this.addMasks(d.mask, freshMask(d.mask));
        else this.add(d.N, freshNonce(key!));
        added++;
        await pause();
      }
    }
    return added;
  }
}

/** Demand × sessions, merged per modulus and per mask slot. */
export function scaleDemand(demand: NonceDemand, sessions: number): NonceDemand {
  const merged = new Map<string, NonceDemandEntry>();
  for (const d of demand) {
    const key = isMaskDemand(d) ? `mask:${maskSlotKey(d.mask)}` : `N:${keyOf(d.N)}`;
    const prev = merged.get(key)?.count ?? 0;
    merged.set(key, { ...d, count: prev + d.count * sessions });
  }
  return [...merged.values()];
}
