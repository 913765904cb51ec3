/**
 * Precomputed Paillier nonces (spec §6.4): r^N mod N² does not depend on the message, so a party
 * can compute a few ahead of time (server: a background worker; browser: while the dialog is open;
 * agent: at start-up) and signing only multiplies by them. Each pair (r, r^N) is secret — r opens
 * the ciphertext it masks — and must be used exactly once: `take` hands an entry out and forgets it.
 *
 * The protocol asks a `NonceSource` per modulus and computes the nonce itself when the source has
 * none, so a pool that runs dry (or holds nonces for another key) only costs time.
 */
import { randomUnit } from "./bigint";
import { noncePower, paillierPublicKey, paillierSecretKey, type NoncePower, type PaillierPublicKey, type PaillierSecretKey } from "./paillier";
import type { KeyShare } from "./key-share";
import type { SignState } from "./sign";

export type { NoncePower } from "./paillier";

export interface NonceSource {
  /** One unused nonce for modulus N, removed from the source; undefined when there is none. */
  take(N: bigint): NoncePower | undefined;
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

/** How many nonces one protocol step takes, per modulus. */
export type NonceDemand = { N: bigint; count: number }[];

/** Own-key nonces of round 1: K and G, and one Π^enc-elg mask per proof (two per peer). */
const START_OWN = (peers: number) => 2 + 2 * peers;
/** Round 2 per peer: F and F̂ and the Π^aff-g masks of Y (own key); D, D̂ and the masks of A (peer's key). */
const R2_OWN_PER_PEER = 4;
const R2_PEER = 4;

function ownPosition(share: KeyShare, signers: readonly number[]): number {
  const pos = signers.indexOf(share.core.index);
  if (pos < 0) throw new Error("the share's party is not among the signers");
  return pos;
}

/** Nonces startSign takes (all under the party's own Paillier key). */
export function signStartNonceDemand(share: KeyShare, signers: readonly number[]): NonceDemand {
  ownPosition(share, signers);
  const own = BigInt("0x" + share.aux.parties[share.core.index]!.N);
  return [{ N: own, count: START_OWN(signers.length - 1) }];
}

/** Nonces the next stepSign from `state` takes when it completes its round (round 2 only). */
export function signStepNonceDemand(state: SignState): NonceDemand {
  // Round 2 follows r1 directly, or the echo round (round 2) when it is on.
  if (state.round !== (state.echo ? 2 : 1) || state.secret === null) return [];
  const peers = state.aux.map((a) => BigInt("0x" + a.N)).filter((_, p) => p !== state.position);
  const own = BigInt("0x" + state.aux[state.position]!.N);
  return [{ N: own, count: R2_OWN_PER_PEER * peers.length }, ...peers.map((N) => ({ N, count: R2_PEER }))];
}

/** Every nonce one whole signing session takes, per modulus (what a pool keeps ready per session). */
export function signSessionNonceDemand(share: KeyShare, signers: readonly number[]): NonceDemand {
  ownPosition(share, signers);
  const moduli = signers.map((j) => BigInt("0x" + share.aux.parties[j]!.N));
  const own = BigInt("0x" + share.aux.parties[share.core.index]!.N);
  const peers = moduli.filter((N) => N !== own);
  return [{ N: own, count: START_OWN(peers.length) + R2_OWN_PER_PEER * peers.length }, ...peers.map((N) => ({ N, count: R2_PEER }))];
}

const keyOf = (N: bigint) => N.toString(16);

/**
 * An in-memory pool (browser worker, agent process, one server step's claimed batch). Entries are
 * handed out once, oldest first; `used` counts what was taken.
 */
export class NoncePool implements NonceSource {
  private readonly entries = new Map<string, NoncePower[]>();
  used = 0;

  add(N: bigint, ...nonces: NoncePower[]): void {
    const list = this.entries.get(keyOf(N)) ?? [];
    list.push(...nonces);
    this.entries.set(keyOf(N), list);
  }

  take(N: bigint): NoncePower | undefined {
    const list = this.entries.get(keyOf(N));
    const next = list?.shift();
    if (next) this.used++;
    return next;
  }

  size(N: bigint): number {
    return this.entries.get(keyOf(N))?.length ?? 0;
  }

  /** Whatever was not taken (e.g. to give back to a store), removed from this pool. */
  drain(): { N: bigint; nonces: NoncePower[] }[] {
    const out = [...this.entries].filter(([, list]) => list.length > 0).map(([h, list]) => ({ N: BigInt("0x" + h), nonces: list }));
    this.entries.clear();
    return out;
  }

  /**
   * Computes nonces until `demand` is covered, one at a time, yielding to the event loop between
   * them (`pause`, default a macrotask) so a page or a server stays responsive; stops when `signal`
   * aborts. `key` supplies a secret key (CRT) for moduli it knows, else the public key is used.
   */
  async fill(demand: NonceDemand, opts: { key?: (N: bigint) => PaillierPublicKey | undefined; signal?: AbortSignal; pause?: () => Promise<void> } = {}): Promise<number> {
    const pause = opts.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    let added = 0;
    for (const { N, count } of demand) {
      const key = opts.key?.(N) ?? paillierPublicKey(N);
      while (this.size(N) < count) {
        if (opts.signal?.aborted) return added;
        this.add(N, freshNonce(key));
        added++;
        await pause();
      }
    }
    return added;
  }
}

/** Demand × sessions, merged per modulus. */
export function scaleDemand(demand: NonceDemand, sessions: number): NonceDemand {
  const merged = new Map<string, number>();
  for (const { N, count } of demand) merged.set(keyOf(N), (merged.get(keyOf(N)) ?? 0) + count * sessions);
  return [...merged].map(([h, count]) => ({ N: BigInt("0x" + h), count }));
}
