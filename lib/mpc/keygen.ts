/**
 * Threshold key generation, t-of-n with Feldman VSS (spec §3.1):
 *   round 1  broadcast V_i = H(commitment to rid_i, F_i, A_i, u_i)
 *   echo     broadcast h_i = H(sid, V_0…V_{n−1})            (only when `echo` is on)
 *   decommit broadcast (rid_i, F_i, A_i, u_i) + p2p σ_{i,j} = f_i(j+1)
 *   schnorr  broadcast z_i = τ_i + e_i·x_i
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { randomBytes } from "./bigint";
import { G, IDENTITY, mulPublic, Point, randomScalar, type Point as PointT } from "./curve";
import { MpcError, ParameterError } from "./errors";
import type { CoreKeyShare } from "./key-share";
import { KEY_SHARE_VERSION } from "./key-share";
import { PRODUCTION, type SecurityProfile } from "./params";
import { decodeSchProof, encodeSchProof, schRespond, schVerify, type SchProofWire } from "./proofs/sch";
import { PeerFault, STATE_VERSION, type Message, type StateBase, type StepResult } from "./protocol";
import { hashTagged, T, type SharedState } from "./transcript";
import {
  advance,
  arr,
  checkFrom,
  verifyEchoes,
  decodeBytes,
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  makeMessage,
  pick,
  str,
  type RoundShape,
} from "./wire";

const Fn = Point.Fn;

export interface KeygenParams {
  /** Own index i ∈ [0, n). */
  index: number;
  n: number;
  threshold: number;
  /** 32-byte execution id (hex), agreed by all parties (see transcript.deriveSid). */
  sid: string;
  /** Echo round for reliable broadcast of the commitments; defaults to on when n > 2 (§5.4). */
  echo?: boolean;
  profile?: SecurityProfile;
}

export type KeygenPhase = "commit" | "echo" | "decommit" | "schnorr";

export interface KeygenState extends StateBase<"keygen"> {
  n: number;
  threshold: number;
  echo: boolean;
  kappaBytes: number;
  /** Secret until the protocol ends. */
  secret: { coeffs: string[]; tau: string; rid: string; u: string };
  /** Own public commitment data. */
  own: { V: string; F: string[]; A: string };
  /** V_j of every party, after round 1. */
  commitments: string[];
  /** Filled by the decommit round. */
  result?: { rid: string; publicKey: string; publicShares: string[]; secretShare: string; A: string[] };
}

export type KeygenStep = StepResult<KeygenState, CoreKeyShare>;

function phaseOf(s: Pick<KeygenState, "round" | "echo">): KeygenPhase {
  const phases: KeygenPhase[] = s.echo ? ["commit", "echo", "decommit", "schnorr"] : ["commit", "decommit", "schnorr"];
  const p = phases[s.round - 1];
  if (!p) throw new ParameterError(`keygen has no round ${s.round}`);
  return p;
}

const SHAPES: Record<KeygenPhase, RoundShape> = {
  commit: { broadcast: true, p2p: false },
  echo: { broadcast: true, p2p: false },
  decommit: { broadcast: true, p2p: true },
  schnorr: { broadcast: true, p2p: false },
};

function sidBytes(sid: string): Uint8Array {
  return decodeBytes(sid, 32, "sid");
}

interface Decommitment {
  rid: Uint8Array;
  F: PointT[];
  A: PointT;
  u: Uint8Array;
}

function commitmentHash(sid: string, party: number, d: Decommitment): string {
  return bytesToHex(
    hashTagged(
      "keygen.hash_commitment",
      T.struct([
        ["sid", T.bytes(sidBytes(sid))],
        ["party", T.int(party)],
        ["rid", T.bytes(d.rid)],
        ["F", T.points(d.F)],
        ["A", T.point(d.A)],
        ["u", T.bytes(d.u)],
      ]),
    ),
  );
}

function echoHash(sid: string, commitments: readonly string[]): string {
  return bytesToHex(
    hashTagged(
      "keygen.echo_round",
      T.list(commitments.map((V) => T.struct([["sid", T.bytes(sidBytes(sid))], ["V", T.bytes(hexToBytes(V))]]))),
    ),
  );
}

function schnorrState(sid: string, prover: number, rid: string): SharedState {
  return {
    sid: sidBytes(sid),
    prover,
    verifier: null,
    label: "keygen.schnorr_pok",
    context: [["rid", T.bytes(hexToBytes(rid))]],
  };
}

/** f(x) evaluated at I(j) = j + 1. */
function evalPoly(coeffs: readonly bigint[], j: number): bigint {
  const x = BigInt(j + 1);
  let acc = 0n;
  for (let k = coeffs.length - 1; k >= 0; k--) acc = Fn.add(Fn.mul(acc, x), coeffs[k]!);
  return acc;
}

/** Σ_k x^k·F_k at x = I(j). */
function evalCommitment(F: readonly PointT[], j: number): PointT {
  const x = BigInt(j + 1);
  let acc = IDENTITY;
  for (let k = F.length - 1; k >= 0; k--) {
    acc = mulPublic(acc, x); // public commitments at a public index
    acc = acc.add(F[k]!);
  }
  return acc;
}

export function startKeygen(params: KeygenParams): { state: KeygenState; outgoing: Message[] } {
  const { index, n, threshold } = params;
  if (!Number.isSafeInteger(n) || n < 2) throw new ParameterError("n must be at least 2");
  if (!Number.isSafeInteger(threshold) || threshold < 2 || threshold > n) throw new ParameterError("need 2 ≤ t ≤ n");
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new ParameterError("index outside [0, n)");
  sidBytes(params.sid);
  const profile = params.profile ?? PRODUCTION;
  const kappaBytes = profile.kappaBits / 8;

  const coeffs = Array.from({ length: threshold }, () => randomScalar());
  const F = coeffs.map((a) => G.multiply(a));
  const tau = randomScalar();
  const A = G.multiply(tau);
  const rid = randomBytes(kappaBytes);
  const u = randomBytes(kappaBytes);
  const V = commitmentHash(params.sid, index, { rid, F, A, u });

  const state: KeygenState = {
    v: STATE_VERSION,
    protocol: "keygen",
    round: 1,
    sid: params.sid,
    self: index,
    parties: Array.from({ length: n }, (_, k) => k),
    inbox: [],
    n,
    threshold,
    echo: params.echo ?? n > 2,
    kappaBytes,
    secret: { coeffs: coeffs.map((c) => encodeScalar(c)), tau: encodeScalar(tau), rid: bytesToHex(rid), u: bytesToHex(u) },
    own: { V, F: F.map((P) => encodePoint(P)), A: encodePoint(A) },
    commitments: [],
  };
  return { state, outgoing: [makeMessage(state, 1, "all", { V })] };
}

function decommitRound(state: KeygenState): { state: KeygenState; outgoing: Message[] } {
  const coeffs = state.secret.coeffs.map((c) => decodeScalar(c, "coeff"));
  const outgoing: Message[] = [
    makeMessage(state, state.round + 1, "all", {
      rid: state.secret.rid,
      F: state.own.F,
      A: state.own.A,
      u: state.secret.u,
    }),
  ];
  for (const j of state.parties) {
    if (j === state.self) continue;
    outgoing.push(makeMessage(state, state.round + 1, j, { sigma: encodeScalar(evalPoly(coeffs, j)) }));
  }
  state.round += 1;
  return { state, outgoing };
}

/** Advance the keygen state machine with messages of the current round. */
export function stepKeygen(prev: KeygenState, incoming: readonly unknown[]): KeygenStep {
  const phase = phaseOf(prev);
  return advance<KeygenState, CoreKeyShare>(prev, SHAPES[phase], incoming, (state, inbox) => {
    switch (phase) {
      case "commit": {
        state.commitments = state.parties.map((j) =>
          j === state.self
            ? state.own.V
            : checkFrom(j, "commitment", () => bytesToHex(decodeBytes(str(pick(inbox, j, "all").payload, "V"), 32, "V"))),
        );
        if (!state.echo) return decommitRound(state);
        const h = echoHash(state.sid, state.commitments);
        state.round += 1;
        return { state, outgoing: [makeMessage(state, state.round, "all", { h })] };
      }
      case "echo": {
        const own = echoHash(state.sid, state.commitments);
        verifyEchoes(state.parties, state.self, inbox, own, "commitments");
        return decommitRound(state);
      }
      case "decommit":
        return onDecommit(state, inbox);
      case "schnorr":
        return onSchnorr(state, inbox);
    }
  });
}

function onDecommit(state: KeygenState, inbox: Message[]): KeygenStep {
  const t = state.threshold;
  const decs: Decommitment[] = [];
  let xi = 0n;
  const ownCoeffs = state.secret.coeffs.map((c) => decodeScalar(c, "coeff"));
  for (const j of state.parties) {
    if (j === state.self) {
      decs.push({
        rid: hexToBytes(state.secret.rid),
        F: state.own.F.map((h) => decodePoint(h, "F")),
        A: decodePoint(state.own.A, "A"),
        u: hexToBytes(state.secret.u),
      });
      xi = Fn.add(xi, evalPoly(ownCoeffs, state.self));
      continue;
    }
    const d = checkFrom(j, "decommitment", () => {
      const p = pick(inbox, j, "all").payload;
      return {
        rid: decodeBytes(str(p, "rid"), state.kappaBytes, "rid"),
        F: arr(p, "F", { max: state.n }).map((h, k) => decodePoint(h, `F[${k}]`)),
        A: decodePoint(str(p, "A"), "A"),
        u: decodeBytes(str(p, "u"), state.kappaBytes, "u"),
      };
    });
    if (commitmentHash(state.sid, j, d) !== state.commitments[j]) {
      throw new PeerFault(j, "hash_commitment", "decommitment does not match V_j");
    }
    if (d.F.length !== t) throw new PeerFault(j, "feldman.size", `|F_j| = ${d.F.length} ≠ t = ${t}`);
    const sigma = checkFrom(j, "share", () => decodeScalar(str(pick(inbox, j, "p2p").payload, "sigma"), "sigma"));
    const lhs = sigma === 0n ? IDENTITY : G.multiply(sigma);
    if (!lhs.equals(evalCommitment(d.F, state.self))) throw new PeerFault(j, "feldman.share", "σ_{j,i}·G ≠ F_j(i+1)");
    xi = Fn.add(xi, sigma);
    decs.push(d);
  }
  const rid = new Uint8Array(state.kappaBytes);
  for (const d of decs) for (let b = 0; b < rid.length; b++) rid[b]! ^= d.rid[b]!;
  const F = Array.from({ length: t }, (_, k) => decs.reduce((acc, d) => acc.add(d.F[k]!), IDENTITY));
  const publicShares = state.parties.map((m) => evalCommitment(F, m));
  const publicKey = F[0]!;
  // A zero sum is only possible if peers' polynomials cancel ours, which their commitments prevent.
  if (publicKey.is0() || publicShares.some((X) => X.is0()) || xi === 0n) {
    throw new MpcError("degenerate key: zero public key, public share or secret share; run keygen again");
  }
  if (!G.multiply(xi).equals(publicShares[state.self]!)) throw new MpcError("internal: x_i·G ≠ X_i after verified shares");

  const ridHex = bytesToHex(rid);
  const proof = schRespond(
    schnorrState(state.sid, state.self, ridHex),
    publicShares[state.self]!,
    xi,
    { tau: decodeScalar(state.secret.tau, "tau") },
    decodePoint(state.own.A, "A"),
  );
  state.result = {
    rid: ridHex,
    publicKey: encodePoint(publicKey),
    publicShares: publicShares.map((X) => encodePoint(X)),
    secretShare: encodeScalar(xi),
    A: decs.map((d) => encodePoint(d.A)),
  };
  state.round += 1;
  const body: SchProofWire = encodeSchProof(proof);
  return { state, outgoing: [makeMessage(state, state.round, "all", { z: body.z })] };
}

function onSchnorr(state: KeygenState, inbox: Message[]): KeygenStep {
  const r = state.result;
  if (!r) throw new ParameterError("keygen state lacks the decommit result");
  for (const j of state.parties) {
    if (j === state.self) continue;
    checkFrom(j, "schnorr", () => {
      const z = str(pick(inbox, j, "all").payload, "z");
      const proof = decodeSchProof({ A: r.A[j], z });
      schVerify(schnorrState(state.sid, j, r.rid), decodePoint(r.publicShares[j], "X"), proof);
    });
  }
  return {
    output: {
      v: KEY_SHARE_VERSION,
      curve: "secp256k1",
      index: state.self,
      threshold: state.threshold,
      n: state.n,
      publicKey: r.publicKey,
      publicShares: r.publicShares,
      secretShare: r.secretShare,
      rid: r.rid,
    },
  };
}

export const keygen = { start: startKeygen, step: stepKeygen, phaseOf };
