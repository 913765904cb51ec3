/**
 * Auxiliary info generation (spec §3.2): each party's Paillier-Blum modulus N_i and ring-Pedersen
 * parameters (N̂_i, s_i, t_i), with Π^prm, Π^mod and Π^fac.
 *   round 1  broadcast V_i = H(commitment to N_i, N̂_i, s_i, t_i, ψ̂_i, ρ_i, u_i)
 *   echo     broadcast h_i                                   (only when `echo` is on)
 *   decommit broadcast (N_i, N̂_i, s_i, t_i, ψ̂_i = Π^prm, ρ_i, u_i)
 *   proofs   p2p Π^mod (same for all) and Π^fac against the recipient's ring-Pedersen parameters
 * The four safe primes are inputs, so callers can pregenerate or pool them (see generateAuxPrimes).
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { bitLength, randomBytes } from "./bigint";
import { EncodingError, ParameterError } from "./errors";
import { KEY_SHARE_VERSION, type AuxInfo, type AuxPublic } from "./key-share";
import { PRODUCTION, type SecurityProfile } from "./params";
import { generateSafePrime, verifySafePrime, type SafePrimeProgress } from "./primes";
import { decodeFacProof, encodeFacProof, proveFac, verifyFac } from "./proofs/fac";
import { decodeModProof, encodeModProof } from "./proofs/mod";
import { decodePrmProof, encodePrmProof } from "./proofs/prm";
import {
  allWork,
  proveModWork,
  provePrmWork,
  runWork,
  runWorkAsync,
  verifyModWork,
  verifyPrmWork,
  type Outcome,
  type RepetitionRunner,
  type Work,
} from "./proofs/repetitions";
import { PeerFault, profileNamed, STATE_VERSION, type Message, type StateBase, type StepResult } from "./protocol";
import { generateRingPedersen, isUsableRingPedersen, type RingPedersenSecret } from "./ring-pedersen";
import { hashTagged, T, type SharedState, type TValue } from "./transcript";
import {
  advance,
  checkFrom,
  verifyEchoes,
  decodeBytes,
  decodeNat,
  encodeNat,
  makeMessage,
  obj,
  pick,
  str,
  type RoundShape,
} from "./wire";

export interface AuxPrimes {
  /** Paillier primes. */
  p: bigint;
  q: bigint;
  /** Ring-Pedersen primes. */
  pHat: bigint;
  qHat: bigint;
}

export interface AuxParams {
  index: number;
  n: number;
  /** 32-byte execution id (hex). */
  sid: string;
  primes: AuxPrimes;
  echo?: boolean;
  profile?: SecurityProfile;
}

export type AuxPhase = "commit" | "echo" | "decommit" | "proofs";

export interface AuxDecommitment {
  N: string;
  NHat: string;
  s: string;
  t: string;
  prm: unknown;
  rho: string;
  u: string;
}

export interface AuxState extends StateBase<"aux"> {
  n: number;
  echo: boolean;
  profile: SecurityProfile["name"];
  kappaBytes: number;
  /** Own primes and ring-Pedersen trapdoor (hex). Secret. */
  secret: { p: string; q: string; pHat: string; qHat: string; lambda: string };
  /** Own decommitment (public once round 2 is sent). */
  own: AuxDecommitment;
  commitments: string[];
  /** Public aux data of every party and the joint ρ, after the decommit round. */
  publics?: AuxPublic[];
  rho?: string;
}

export type AuxStep = StepResult<AuxState, AuxInfo>;

const SHAPES: Record<AuxPhase, RoundShape> = {
  commit: { broadcast: true, p2p: false },
  echo: { broadcast: true, p2p: false },
  decommit: { broadcast: true, p2p: false },
  proofs: { broadcast: false, p2p: true },
};

function phaseOf(s: Pick<AuxState, "round" | "echo">): AuxPhase {
  const phases: AuxPhase[] = s.echo ? ["commit", "echo", "decommit", "proofs"] : ["commit", "decommit", "proofs"];
  const p = phases[s.round - 1];
  if (!p) throw new ParameterError(`aux has no round ${s.round}`);
  return p;
}

/** Canonical transcript value of a JSON wire object (strings, numbers, arrays, objects by sorted key). */
function jsonValue(v: unknown): TValue {
  if (typeof v === "string") return T.str(v);
  if (typeof v === "number" && Number.isSafeInteger(v)) return T.int(v);
  if (typeof v === "boolean") return T.bool(v);
  if (Array.isArray(v)) return T.list(v.map(jsonValue));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    return T.struct(Object.keys(o).sort().map((k) => [k, jsonValue(o[k])] as const));
  }
  throw new EncodingError("commitment", "value cannot be committed to");
}

/** V_i: hash commitment to a party's decommitment (exported for malicious-party tests). */
export function auxCommitment(sid: string, party: number, d: AuxDecommitment): string {
  return bytesToHex(
    hashTagged(
      "aux.hash_commitment",
      T.struct([
        ["sid", T.bytes(hexToBytes(sid))],
        ["party", T.int(party)],
        ["decommitment", jsonValue(d)],
      ]),
    ),
  );
}

function echoHash(sid: string, commitments: readonly string[]): string {
  return bytesToHex(
    hashTagged("aux.echo_round", T.struct([["sid", T.bytes(hexToBytes(sid))], ["V", T.list(commitments.map((V) => T.str(V)))]])),
  );
}

function shared(sid: string, prover: number, verifier: number | null, label: string, rho?: string): SharedState {
  return {
    sid: hexToBytes(sid),
    prover,
    verifier,
    label,
    context: rho === undefined ? [] : [["rho", T.bytes(hexToBytes(rho))]],
  };
}

const nat = (h: string) => BigInt("0x" + h);

function ownRingPedersen(state: AuxState): RingPedersenSecret {
  const p = nat(state.secret.pHat);
  const q = nat(state.secret.qHat);
  return { N: p * q, s: nat(state.own.s), t: nat(state.own.t), p, q, phi: (p - 1n) * (q - 1n), lambda: nat(state.secret.lambda) };
}

function checkPrimes(primes: AuxPrimes, profile: SecurityProfile): void {
  const list = [primes.p, primes.q, primes.pHat, primes.qHat];
  if (new Set(list).size !== 4) throw new ParameterError("the four aux primes must be distinct");
  for (const x of list) {
    if (bitLength(x) !== profile.primeBits) throw new ParameterError(`aux primes must have ${profile.primeBits} bits`);
    if (x % 4n !== 3n) throw new ParameterError("aux primes must be ≡ 3 mod 4");
  }
  // A party never trusts where its primes came from (pool, worker, storage): a composite or a
  // non-safe prime would let whoever chose it factor N or N̂ and read this party's secrets.
  for (const x of list) if (!verifySafePrime(x, profile.primeBits)) throw new ParameterError(`aux primes must be safe primes of ${profile.primeBits} bits`);
}

export function startAux(params: AuxParams): { state: AuxState; outgoing: Message[] } {
  return runWork(startAuxWork(params));
}

/** startAux as work (the Π^prm commitments are its one batch). */
export function* startAuxWork(params: AuxParams): Work<{ state: AuxState; outgoing: Message[] }> {
  const { index, n, sid } = params;
  const profile = params.profile ?? PRODUCTION;
  if (!Number.isSafeInteger(n) || n < 2) throw new ParameterError("n must be at least 2");
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new ParameterError("index outside [0, n)");
  decodeBytes(sid, 32, "sid");
  checkPrimes(params.primes, profile);
  const { p, q, pHat, qHat } = params.primes;
  const rp = generateRingPedersen(pHat, qHat);
  const kappaBytes = profile.kappaBits / 8;
  const prm = yield* provePrmWork(shared(sid, index, null, "aux.proof_prm"), profile, rp);
  const own: AuxDecommitment = {
    N: encodeNat(p * q),
    NHat: encodeNat(rp.N),
    s: encodeNat(rp.s),
    t: encodeNat(rp.t),
    prm: encodePrmProof(prm, rp.N),
    rho: bytesToHex(randomBytes(kappaBytes)),
    u: bytesToHex(randomBytes(kappaBytes)),
  };
  const V = auxCommitment(sid, index, own);
  const state: AuxState = {
    v: STATE_VERSION,
    protocol: "aux",
    round: 1,
    sid,
    self: index,
    parties: Array.from({ length: n }, (_, k) => k),
    inbox: [],
    n,
    echo: params.echo ?? n > 2,
    profile: profile.name,
    kappaBytes,
    secret: { p: encodeNat(p), q: encodeNat(q), pHat: encodeNat(pHat), qHat: encodeNat(qHat), lambda: encodeNat(rp.lambda) },
    own,
    commitments: [],
  };
  return { state, outgoing: [makeMessage(state, 1, "all", { V })] };
}

function decommitRound(state: AuxState): { state: AuxState; outgoing: Message[] } {
  state.round += 1;
  return { state, outgoing: [makeMessage(state, state.round, "all", { ...state.own })] };
}

/** checkFrom over a work: every segment between two batches runs under the same blame. */
function* checkFromWork<T>(party: number, what: string, work: Work<T>): Work<T> {
  let r = checkFrom(party, what, () => work.next([]));
  while (!r.done) {
    const results = yield r.value;
    r = checkFrom(party, what, () => work.next(results));
  }
  return r.value;
}

/** The first failure in party order, as if the parties had been checked one after the other. */
function inPartyOrder<T>(outcomes: readonly Outcome<T>[]): T[] {
  return outcomes.map((o) => {
    if (!o.ok) throw o.error;
    return o.value;
  });
}

/** Party j's decommitment with its parameters and Π^prm checked (own: as it is). */
function* decommitmentOf(state: AuxState, inbox: Message[], profile: SecurityProfile, j: number): Work<AuxDecommitment> {
  if (j === state.self) return state.own;
  const maxBits = 2 * profile.primeBits + 8;
  const d: AuxDecommitment = checkFrom(j, "decommitment", () => {
    const b = pick(inbox, j, "all").payload;
    return {
      N: str(b, "N"),
      NHat: str(b, "NHat"),
      s: str(b, "s"),
      t: str(b, "t"),
      prm: obj(b, "prm"),
      rho: str(b, "rho"),
      u: str(b, "u"),
    };
  });
  if (auxCommitment(state.sid, j, d) !== state.commitments[j]) {
    throw new PeerFault(j, "hash_commitment", "decommitment does not match V_j");
  }
  const { st, proof } = checkFrom(j, "aux parameters", () => {
    const N = decodeNat(d.N, maxBits, "N");
    const NHat = decodeNat(d.NHat, maxBits, "NHat");
    const s = decodeNat(d.s, maxBits, "s");
    const t = decodeNat(d.t, maxBits, "t");
    decodeBytes(d.rho, state.kappaBytes, "rho");
    if (bitLength(N) < profile.minModulusBits) throw new PeerFault(j, "modulus_size.N", "N_j too short");
    if (bitLength(NHat) < profile.minModulusBits) throw new PeerFault(j, "modulus_size.NHat", "N̂_j too short");
    if (N === NHat) throw new PeerFault(j, "modulus_reuse", "N_j = N̂_j");
    if (!isUsableRingPedersen({ N: NHat, s, t })) throw new PeerFault(j, "ring_pedersen", "s_j or t_j unusable");
    return { st: { N: NHat, s, t }, proof: decodePrmProof(d.prm, profile, NHat) };
  });
  yield* checkFromWork(j, "aux parameters", verifyPrmWork(shared(state.sid, j, null, "aux.proof_prm"), profile, st, proof));
  return d;
}

function* onDecommit(state: AuxState, inbox: Message[]): Work<AuxStep> {
  const profile = profileNamed(state.profile);
  // The peers' Π^prm are independent: verified side by side (one batch of jobs).
  const decommitments = inPartyOrder(yield* allWork(state.parties.map((j) => decommitmentOf(state, inbox, profile, j))));
  const publics: AuxPublic[] = [];
  const rho = new Uint8Array(state.kappaBytes);
  for (const d of decommitments) {
    const r = hexToBytes(d.rho);
    for (let b = 0; b < rho.length; b++) rho[b]! ^= r[b]!;
    publics.push({ N: d.N, NHat: d.NHat, s: d.s, t: d.t });
  }
  const moduli = publics.flatMap((e) => [e.N, e.NHat]);
  for (const [j, e] of publics.entries()) {
    if (j === state.self) continue;
    if (moduli.filter((m) => m === e.N || m === e.NHat).length !== 2) {
      throw new PeerFault(j, "modulus_reuse", "N_j or N̂_j repeats another party's modulus");
    }
  }
  state.publics = publics;
  state.rho = bytesToHex(rho);
  const p = nat(state.secret.p);
  const q = nat(state.secret.q);
  const modProof = encodeModProof(yield* proveModWork(shared(state.sid, state.self, null, "aux.proof_mod", state.rho), profile, p, q), p * q);
  state.round += 1;
  const outgoing: Message[] = [];
  for (const j of state.parties) {
    if (j === state.self) continue;
    const e = publics[j]!;
    const verifierAux = { N: nat(e.NHat), s: nat(e.s), t: nat(e.t) };
    const fac = proveFac(shared(state.sid, state.self, j, "aux.proof_fac", state.rho), profile, verifierAux, p, q);
    outgoing.push(makeMessage(state, state.round, j, { mod: modProof, fac: encodeFacProof(fac, verifierAux) }));
  }
  return { state, outgoing };
}

/** Party j's Π^mod and Π^fac, checked. */
function* proofsOf(state: AuxState, inbox: Message[], profile: SecurityProfile, ownRp: RingPedersenSecret, N: bigint, rho: string, j: number): Work<void> {
  const { mod, fac } = checkFrom(j, "aux proofs", () => {
    const body = pick(inbox, j, "p2p").payload;
    return { mod: decodeModProof(obj(body, "mod"), profile, N), fac: decodeFacProof(obj(body, "fac"), profile, ownRp, N) };
  });
  yield* checkFromWork(j, "aux proofs", verifyModWork(shared(state.sid, j, null, "aux.proof_mod", rho), profile, N, mod));
  checkFrom(j, "aux proofs", () => verifyFac(shared(state.sid, j, state.self, "aux.proof_fac", rho), profile, ownRp, N, fac));
}

function* onProofs(state: AuxState, inbox: Message[]): Work<AuxStep> {
  const profile = profileNamed(state.profile);
  const publics = state.publics;
  const rho = state.rho;
  if (!publics || !rho) throw new ParameterError("aux state lacks the decommit result");
  const ownRp = ownRingPedersen(state);
  // The peers' Π^mod are independent: verified side by side (one batch of jobs).
  const peers = state.parties.filter((j) => j !== state.self);
  inPartyOrder(yield* allWork(peers.map((j) => proofsOf(state, inbox, profile, ownRp, nat(publics[j]!.N), rho, j))));
  return {
    output: {
      v: KEY_SHARE_VERSION,
      index: state.self,
      n: state.n,
      p: state.secret.p,
      q: state.secret.q,
      pHat: state.secret.pHat,
      qHat: state.secret.qHat,
      parties: publics,
    },
  };
}

/** A round without jobs, as work. */
function* cheapRound(fn: () => AuxStep): Work<AuxStep> {
  return fn();
}

function roundWork(phase: AuxPhase, state: AuxState, inbox: Message[]): Work<AuxStep> {
  switch (phase) {
    case "commit":
      return cheapRound(() => {
        state.commitments = state.parties.map((j) =>
          j === state.self
            ? auxCommitment(state.sid, state.self, state.own)
            : checkFrom(j, "commitment", () => bytesToHex(decodeBytes(str(pick(inbox, j, "all").payload, "V"), 32, "V"))),
        );
        if (!state.echo) return decommitRound(state);
        state.round += 1;
        return { state, outgoing: [makeMessage(state, state.round, "all", { h: echoHash(state.sid, state.commitments) })] };
      });
    case "echo":
      return cheapRound(() => {
        const own = echoHash(state.sid, state.commitments);
        verifyEchoes(state.parties, state.self, inbox, own, "commitments");
        return decommitRound(state);
      });
    case "decommit":
      return onDecommit(state, inbox);
    case "proofs":
      return onProofs(state, inbox);
  }
}

/**
 * stepAux as work: advance() validates and collects the messages; a complete round's work follows,
 * and a peer's fault becomes the abort advance() reports.
 */
export function* stepAuxWork(prev: AuxState, incoming: readonly unknown[]): Work<AuxStep> {
  const phase = phaseOf(prev);
  const captured: { round?: { state: AuxState; inbox: Message[] } } = {};
  const collected = advance<AuxState, AuxInfo>(prev, SHAPES[phase], incoming, (state, inbox) => {
    captured.round = { state, inbox };
    return { state, outgoing: [] };
  });
  if (!captured.round) return collected;
  try {
    return yield* roundWork(phase, captured.round.state, captured.round.inbox);
  } catch (err) {
    if (err instanceof PeerFault) {
      return advance<AuxState, AuxInfo>(prev, SHAPES[phase], incoming, () => {
        throw err;
      });
    }
    throw err;
  }
}

/** Advance the aux-info state machine with messages of the current round. */
export function stepAux(prev: AuxState, incoming: readonly unknown[]): AuxStep {
  return runWork(stepAuxWork(prev, incoming));
}

/**
 * startAux with the Π^prm commitments computed by `runner` (e.g. a pool of Web Workers). The
 * messages and state are those of startAux; only where the repetitions are computed differs.
 */
export function startAuxParallel(params: AuxParams, runner: RepetitionRunner): Promise<{ state: AuxState; outgoing: Message[] }> {
  return runWorkAsync(startAuxWork(params), runner);
}

/** stepAux with the repetitions of Π^prm and Π^mod (and the peers' proofs side by side) computed by `runner`. */
export function stepAuxParallel(prev: AuxState, incoming: readonly unknown[], runner: RepetitionRunner): Promise<AuxStep> {
  return runWorkAsync(stepAuxWork(prev, incoming), runner);
}

export interface PrimeProgress {
  /** Which of the four primes (0: p, 1: q, 2: p̂, 3: q̂). */
  prime: number;
  candidates: number;
  tested: number;
  done: boolean;
}

/**
 * Generate the four safe primes of one party with the isomorphic generator, in sequence, reporting
 * progress. Browsers should rather run one generator per Web Worker (see worker/keygen.worker.ts).
 */
export async function generateAuxPrimes(
  profile: SecurityProfile,
  opts: { onProgress?: (p: PrimeProgress) => void; signal?: AbortSignal } = {},
): Promise<AuxPrimes> {
  const out: bigint[] = [];
  while (out.length < 4) {
    const prime = out.length;
    const x = await generateSafePrime(profile.primeBits, {
      signal: opts.signal,
      onProgress: (p: SafePrimeProgress) => opts.onProgress?.({ prime, ...p, done: false }),
    });
    if (out.includes(x)) continue;
    out.push(x);
    opts.onProgress?.({ prime, candidates: 0, tested: 0, done: true });
  }
  return { p: out[0]!, q: out[1]!, pHat: out[2]!, qHat: out[3]! };
}

export const aux = { start: startAux, step: stepAux, phaseOf };
