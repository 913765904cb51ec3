/**
 * Interactive presigning + signing in one session, message known at start (spec §3.4–§3.6):
 *   r1  broadcast K_i, G_i, Y_i, A_{i,1}, A_{i,2}, B_{i,1}, B_{i,2}; p2p Π^enc-elg ψ0, ψ1 per verifier
 *   echo broadcast h_i over all R1a (when `echo` is on; default for t > 2)
 *   r2  p2p Γ_i, D, F, D̂, F̂, Π^elog ψ̃, Π^aff-g ψ, ψ̂
 *   r3  broadcast δ_i, S_i, Δ_i, Π^elog ψ'
 *   r4  broadcast σ_i; every party combines, normalises s, computes v and verifies the signature.
 * Parties are identified by keygen index; positions follow the ascending signer list.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { randomSymmetric } from "./bigint";
import { G, IDENTITY, mul, mulGPublic, mulPublic, Point, SCALAR_BITS, q, randomScalar, toScalar, toSigned, type Point as PointT } from "./curve";
import { EncodingError, MpcError, ParameterError } from "./errors";
import { decodeAuxInfo, decodeCoreShare, type DecodedAuxPublic, type KeyShare } from "./key-share";
import { toAdditive } from "./lagrange";
import {
  affineWithNoncePower,
  decrypt,
  encryptWithNoncePower,
  isCiphertext,
  paillierPublicKey,
  paillierSecretKey,
  type PaillierPublicKey,
  type PaillierSecretKey,
} from "./paillier";
import { maskSlots, nonceFor, type NonceSource } from "./nonces";
import { PRODUCTION, type SecurityProfile } from "./params";
import { decodeAffGProof, encodeAffGProof, proveAffG, verifyAffG } from "./proofs/aff-g";
import { decodeElogProof, encodeElogProof, proveElog, verifyElog } from "./proofs/elog";
import { decodeEncElgProof, encodeEncElgProof, proveEncElg, verifyEncElg } from "./proofs/enc-elg";
import { PeerFault, profileNamed, STATE_VERSION, type Message, type StateBase, type StepResult } from "./protocol";
import type { RingPedersenParams, RingPedersenSecret } from "./ring-pedersen";
import { hashTagged, T, type SharedState } from "./transcript";
import {
  advance,
  checkFrom,
  verifyEchoes,
  decodeBytes,
  decodeModElement,
  decodePoint,
  decodeScalar,
  encodeModElement,
  encodePoint,
  encodeScalar,
  makeMessage,
  obj,
  pick,
  str,
  type RoundShape,
} from "./wire";

const Fn = Point.Fn;
const HALF_Q = (q - 1n) / 2n;
const hex = (x: bigint) => x.toString(16);
const nat = (h: string) => BigInt("0x" + h);

export interface SignParams {
  share: KeyShare;
  /** Keygen indices of the t signers, ascending; must contain the share's own index. */
  signers: number[];
  /** 32-byte message digest (hex), e.g. Keccak-256 of an Ethereum transaction payload. */
  messageHash: string;
  /** 32-byte execution id (hex); derive it with the message hash and signer set bound in (§2.6). */
  sid: string;
  /** Echo round after round 1; defaults to on when more than two parties sign (§5.4). */
  echo?: boolean;
  profile?: SecurityProfile;
  /** Precomputed Paillier nonces (spec §6.4); any the source lacks are computed on the spot. */
  nonces?: NonceSource;
}

/** Options of a signing step. */
export interface SignStepOptions {
  /** Precomputed Paillier nonces for round 2 (own key and each peer's); see lib/mpc/nonces.ts. */
  nonces?: NonceSource;
}

export interface EcdsaSignature {
  /** 32-byte hex scalars; s is low (≤ (q−1)/2). */
  r: string;
  s: string;
  /** Recovery id (y-parity of R after normalisation). */
  v: 0 | 1;
  messageHash: string;
  /** Compressed public key (hex). */
  publicKey: string;
}

export type SignPhase = "r1" | "echo" | "r2" | "r3" | "r4";

interface R1a {
  K: string;
  G: string;
  Y: string;
  A1: string;
  A2: string;
  B1: string;
  B2: string;
}

export interface SignState extends StateBase<"sign"> {
  profile: SecurityProfile["name"];
  echo: boolean;
  signers: number[];
  position: number;
  messageHash: string;
  publicKey: string;
  /** X̃_p = λ_p·X_{S(p)} per position. */
  publicShares: string[];
  /** Aux data (N, N̂, s, t) per position, hex. */
  aux: { N: string; NHat: string; s: string; t: string }[];
  /** Secret material; cleared as soon as σ_i is computed. */
  secret: {
    x: string;
    p: string;
    q: string;
    pHat: string;
    qHat: string;
    k: string;
    gamma: string;
    a: string;
    b: string;
    rho: string;
    nu: string;
    betaSum?: string;
    betaHatSum?: string;
    chi?: string;
  } | null;
  /** R1a of every position (own included), stored after validation. */
  r1: R1a[];
  /** Γ = Σ Γ_j and own round-3 values, set by the r2 handler. */
  Gamma?: string;
  own3?: { delta: string; S: string; Delta: string };
  /** Own partial signature σ_i, once released. */
  sigma?: string;
  presig?: { r: string; DeltaTilde: string[]; STilde: string[] };
}

export type SignStep = StepResult<SignState, EcdsaSignature>;

const SHAPES: Record<SignPhase, RoundShape> = {
  r1: { broadcast: true, p2p: true },
  echo: { broadcast: true, p2p: false },
  r2: { broadcast: false, p2p: true },
  r3: { broadcast: true, p2p: false },
  r4: { broadcast: true, p2p: false },
};

function phaseOf(s: Pick<SignState, "round" | "echo">): SignPhase {
  const phases: SignPhase[] = s.echo ? ["r1", "echo", "r2", "r3", "r4"] : ["r1", "r2", "r3", "r4"];
  const p = phases[s.round - 1];
  if (!p) throw new ParameterError(`signing has no round ${s.round}`);
  return p;
}

/** Everything derived from the state that the round handlers need, decoded. */
interface Ctx {
  profile: SecurityProfile;
  sid: Uint8Array;
  self: number;
  pos: number;
  signers: number[];
  pk: PointT;
  X: PointT[];
  keys: PaillierPublicKey[];
  rp: RingPedersenParams[];
}

function context(state: SignState): Ctx {
  return {
    profile: profileNamed(state.profile),
    sid: hexToBytes(state.sid),
    self: state.self,
    pos: state.position,
    signers: state.signers,
    pk: decodePoint(state.publicKey, "publicKey"),
    X: state.publicShares.map((h) => decodePoint(h, "X")),
    keys: state.aux.map((a) => paillierPublicKey(nat(a.N))),
    rp: state.aux.map((a) => ({ N: nat(a.NHat), s: nat(a.s), t: nat(a.t) })),
  };
}

function secrets(state: SignState): NonNullable<SignState["secret"]> {
  if (!state.secret) throw new MpcError("signing secrets were already wiped");
  return state.secret;
}

function ownPaillier(state: SignState): PaillierSecretKey {
  const s = secrets(state);
  return paillierSecretKey(BigInt("0x" + s.p), BigInt("0x" + s.q));
}

/** Own ring-Pedersen parameters with their factorisation, for CRT verification (λ is not needed to verify). */
function ownPedersen(state: SignState, ctx: Ctx): RingPedersenSecret {
  const s = secrets(state);
  const p = BigInt("0x" + s.pHat);
  const qq = BigInt("0x" + s.qHat);
  const own = ctx.rp[ctx.pos]!;
  return { ...own, p, q: qq, phi: (p - 1n) * (qq - 1n), lambda: 0n };
}

function ss(ctx: Ctx, prover: number, verifier: number | null, label: string, field: string, value: number | boolean): SharedState {
  return {
    sid: ctx.sid,
    prover,
    verifier,
    label,
    context: [[field, typeof value === "boolean" ? T.bool(value) : T.int(value)]],
  };
}

export function startSign(params: SignParams): { state: SignState; outgoing: Message[] } {
  const profile = params.profile ?? PRODUCTION;
  const core = decodeCoreShare(params.share.core);
  const aux = decodeAuxInfo(params.share.aux, profile);
  if (core.index !== aux.index || core.n !== aux.n) throw new ParameterError("core share and aux info disagree");
  decodeBytes(params.sid, 32, "sid");
  decodeBytes(params.messageHash, 32, "messageHash");
  const add = toAdditive(core, params.signers);
  const signerAux: DecodedAuxPublic[] = params.signers.map((j) => aux.parties[j]!);

  const state: SignState = {
    v: STATE_VERSION,
    protocol: "sign",
    round: 1,
    sid: params.sid,
    self: core.index,
    parties: [...params.signers],
    inbox: [],
    profile: profile.name,
    echo: params.echo ?? params.signers.length > 2,
    signers: [...params.signers],
    position: add.position,
    messageHash: params.messageHash,
    publicKey: encodePoint(core.publicKey),
    publicShares: add.publicShares.map((X) => encodePoint(X)),
    aux: signerAux.map((a) => ({ N: hex(a.N), NHat: hex(a.NHat), s: hex(a.s), t: hex(a.t) })),
    secret: {
      x: encodeScalar(add.secret),
      p: hex(aux.p),
      q: hex(aux.q),
      pHat: hex(aux.pHat),
      qHat: hex(aux.qHat),
      k: "",
      gamma: "",
      a: "",
      b: "",
      rho: "",
      nu: "",
    },
    r1: [],
  };
  const ctx = context(state);
  const key = ownPaillier(state);
  const k = randomScalar();
  const gamma = randomScalar();
  const rhoN = nonceFor(key, params.nonces);
  const nuN = nonceFor(key, params.nonces);
  const rho = rhoN.r;
  const nu = nuN.r;
  const K = encryptWithNoncePower(key, toSigned(k), rhoN.rN);
  const Gc = encryptWithNoncePower(key, toSigned(gamma), nuN.rN);
  // y is discarded: Y only serves as the El-Gamal public key of this session.
  const Y = G.multiply(randomScalar());
  const a = randomScalar();
  const b = randomScalar();
  const A1 = G.multiply(a);
  const A2 = Y.multiply(a).add(G.multiply(k));
  const B1 = G.multiply(b);
  const B2 = Y.multiply(b).add(G.multiply(gamma));
  Object.assign(state.secret!, {
    k: encodeScalar(k),
    gamma: encodeScalar(gamma),
    a: encodeScalar(a),
    b: encodeScalar(b),
    rho: hex(rho),
    nu: hex(nu),
  });
  const own: R1a = {
    K: encodeModElement(K, key.N2, "K"),
    G: encodeModElement(Gc, key.N2, "G"),
    Y: encodePoint(Y),
    A1: encodePoint(A1),
    A2: encodePoint(A2),
    B1: encodePoint(B1),
    B2: encodePoint(B2),
  };
  state.r1 = state.signers.map(() => own);
  const outgoing: Message[] = [makeMessage(state, 1, "all", own)];
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) continue;
    const verifierAux = ctx.rp[p]!;
    const slots = maskSlots(verifierAux, profile);
    const mask = (slot: typeof slots.ell) => params.nonces?.takeMask?.(slot);
    const psi0 = proveEncElg(
      ss(ctx, state.self, j, "sign.proof_enc", "num", 0),
      profile,
      verifierAux,
      { N0: key, C: K, A: Y, B: A1, X: A2 },
      { x: toSigned(k), rho, b: a },
      { nonce: nonceFor(key, params.nonces), masks: { mu: mask(slots.ell), gamma: mask(slots.ellEps) } },
    );
    const psi1 = proveEncElg(
      ss(ctx, state.self, j, "sign.proof_enc", "num", 1),
      profile,
      verifierAux,
      { N0: key, C: Gc, A: Y, B: B1, X: B2 },
      { x: toSigned(gamma), rho: nu, b },
      { nonce: nonceFor(key, params.nonces), masks: { mu: mask(slots.ell), gamma: mask(slots.ellEps) } },
    );
    outgoing.push(
      makeMessage(state, 1, j, {
        psi0: encodeEncElgProof(psi0, key, verifierAux),
        psi1: encodeEncElgProof(psi1, key, verifierAux),
      }),
    );
  }
  return { state, outgoing };
}

function decodeR1a(payload: unknown, key: PaillierPublicKey): { wire: R1a; K: bigint; G: bigint; Y: PointT; A1: PointT; A2: PointT; B1: PointT; B2: PointT } {
  const ct = (name: string) => {
    const c = decodeModElement(str(payload, name), name, key.N2);
    if (!isCiphertext(key, c)) throw new EncodingError(name, "ciphertext not in Z*_{N²}");
    return c;
  };
  const pt = (name: string) => decodePoint(str(payload, name), name);
  const K = ct("K");
  const Gc = ct("G");
  const out = { K, G: Gc, Y: pt("Y"), A1: pt("A1"), A2: pt("A2"), B1: pt("B1"), B2: pt("B2") };
  const wire: R1a = {
    K: str(payload, "K"),
    G: str(payload, "G"),
    Y: str(payload, "Y"),
    A1: str(payload, "A1"),
    A2: str(payload, "A2"),
    B1: str(payload, "B1"),
    B2: str(payload, "B2"),
  };
  return { wire, ...out };
}

function echoHash(state: SignState): string {
  return bytesToHex(
    hashTagged(
      "sign.echo_round",
      T.struct([
        ["sid", T.bytes(hexToBytes(state.sid))],
        ["r1", T.list(state.r1.map((m) => T.list([m.K, m.G, m.Y, m.A1, m.A2, m.B1, m.B2].map((h) => T.str(h)))))],
      ]),
    ),
  );
}

/** Round-2 messages: Γ_i, the MtA ciphertexts and their proofs for each peer. */
function round2(state: SignState, nonces: NonceSource | undefined): { state: SignState; outgoing: Message[] } {
  const ctx = context(state);
  const sec = secrets(state);
  const key = ownPaillier(state);
  const gamma = decodeScalar(sec.gamma, "gamma");
  const x = decodeScalar(sec.x, "x");
  const b = decodeScalar(sec.b, "b");
  const own = state.r1[ctx.pos]!;
  const Gamma = G.multiply(gamma);
  const psiTilde = proveElog(
    ss(ctx, state.self, null, "sign.proof_elog", "prime", false),
    { L: decodePoint(own.B1, "B1"), M: decodePoint(own.B2, "B2"), X: decodePoint(own.Y, "Y"), Y: Gamma, H: G },
    { y: gamma, lambda: b },
  );
  let betaSum = 0n;
  let betaHatSum = 0n;
  state.round += 1;
  const outgoing: Message[] = [];
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) continue;
    const peerKey = ctx.keys[p]!;
    const Kj = nat(state.r1[p]!.K);
    const beta = randomSymmetric(ctx.profile.ellPrime);
    const betaHat = randomSymmetric(ctx.profile.ellPrime);
    const s = nonceFor(peerKey, nonces);
    const sHat = nonceFor(peerKey, nonces);
    const r = nonceFor(key, nonces);
    const rHat = nonceFor(key, nonces);
    const D = affineWithNoncePower(peerKey, Kj, toSigned(gamma), -beta, s.rN, SCALAR_BITS);
    const F = encryptWithNoncePower(key, -beta, r.rN);
    const DHat = affineWithNoncePower(peerKey, Kj, toSigned(x), -betaHat, sHat.rN, SCALAR_BITS);
    const FHat = encryptWithNoncePower(key, -betaHat, rHat.rN);
    const slots = maskSlots(ctx.rp[p]!, ctx.profile);
    const masks = () => ({
      gamma: nonces?.takeMask?.(slots.ellEps),
      delta: nonces?.takeMask?.(slots.ellEps),
      m: nonces?.takeMask?.(slots.ell),
      mu: nonces?.takeMask?.(slots.ell),
    });
    const psi = proveAffG(
      ss(ctx, state.self, j, "sign.proof_psi", "hat", false),
      ctx.profile,
      ctx.rp[p]!,
      { Nj: peerKey, Ni: key, C: Kj, D, Y: F, X: Gamma },
      { x: toSigned(gamma), y: -beta, rho: s.r, rhoY: r.r },
      { nonceNj: nonceFor(peerKey, nonces), nonceNi: nonceFor(key, nonces), masks: masks() },
    );
    const psiHat = proveAffG(
      ss(ctx, state.self, j, "sign.proof_psi", "hat", true),
      ctx.profile,
      ctx.rp[p]!,
      { Nj: peerKey, Ni: key, C: Kj, D: DHat, Y: FHat, X: ctx.X[ctx.pos]! },
      { x: toSigned(x), y: -betaHat, rho: sHat.r, rhoY: rHat.r },
      { nonceNj: nonceFor(peerKey, nonces), nonceNi: nonceFor(key, nonces), masks: masks() },
    );
    betaSum += beta;
    betaHatSum += betaHat;
    outgoing.push(
      makeMessage(state, state.round, j, {
        Gamma: encodePoint(Gamma),
        D: encodeModElement(D, peerKey.N2, "D"),
        F: encodeModElement(F, key.N2, "F"),
        DHat: encodeModElement(DHat, peerKey.N2, "DHat"),
        FHat: encodeModElement(FHat, key.N2, "FHat"),
        psiTilde: encodeElogProof(psiTilde),
        psi: encodeAffGProof(psi, peerKey, key, ctx.rp[p]!),
        psiHat: encodeAffGProof(psiHat, peerKey, key, ctx.rp[p]!),
      }),
    );
  }
  sec.betaSum = encodeScalar(toScalar(betaSum));
  sec.betaHatSum = encodeScalar(toScalar(betaHatSum));
  return { state, outgoing };
}

function onR1(state: SignState, inbox: Message[], nonces: NonceSource | undefined): SignStep {
  const ctx = context(state);
  const ownRp = ownPedersen(state, ctx);
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) continue;
    const key = ctx.keys[p]!;
    const r1 = checkFrom(j, "r1 broadcast", () => decodeR1a(pick(inbox, j, "all").payload, key));
    checkFrom(j, "r1 proofs", () => {
      const body = pick(inbox, j, "p2p").payload;
      const psi0 = decodeEncElgProof(obj(body, "psi0"), ctx.profile, key, ownRp);
      const psi1 = decodeEncElgProof(obj(body, "psi1"), ctx.profile, key, ownRp);
      const st0 = { N0: key, C: r1.K, A: r1.Y, B: r1.A1, X: r1.A2 };
      const st1 = { N0: key, C: r1.G, A: r1.Y, B: r1.B1, X: r1.B2 };
      verifyEncElg(ss(ctx, j, state.self, "sign.proof_enc", "num", 0), ctx.profile, ownRp, st0, psi0);
      verifyEncElg(ss(ctx, j, state.self, "sign.proof_enc", "num", 1), ctx.profile, ownRp, st1, psi1);
    });
    state.r1[p] = r1.wire;
  }
  if (!state.echo) return round2(state, nonces);
  state.round += 1;
  return { state, outgoing: [makeMessage(state, state.round, "all", { h: echoHash(state) })] };
}

function onEcho(state: SignState, inbox: Message[], nonces: NonceSource | undefined): SignStep {
  const own = echoHash(state);
  verifyEchoes(state.signers, state.self, inbox, own, "round-1 messages");
  return round2(state, nonces);
}

function onR2(state: SignState, inbox: Message[]): SignStep {
  const ctx = context(state);
  const sec = secrets(state);
  const key = ownPaillier(state);
  const ownRp = ownPedersen(state, ctx);
  const Kself = nat(state.r1[ctx.pos]!.K);
  const k = decodeScalar(sec.k, "k");
  const gamma = decodeScalar(sec.gamma, "gamma");
  const x = decodeScalar(sec.x, "x");
  const a = decodeScalar(sec.a, "a");
  let Gamma = G.multiply(gamma);
  let alphaSum = 0n;
  let alphaHatSum = 0n;
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) continue;
    const peerKey = ctx.keys[p]!;
    const r1 = state.r1[p]!;
    const { Gj, D, DHat } = checkFrom(j, "r2", () => {
      const body = pick(inbox, j, "p2p").payload;
      const ownCt = (name: string) => {
        const c = decodeModElement(str(body, name), name, key.N2);
        if (!isCiphertext(key, c)) throw new EncodingError(name, "ciphertext not in Z*_{N²}");
        return c;
      };
      const peerCt = (name: string) => {
        const c = decodeModElement(str(body, name), name, peerKey.N2);
        if (!isCiphertext(peerKey, c)) throw new EncodingError(name, "ciphertext not in Z*_{N²}");
        return c;
      };
      const Gj = decodePoint(str(body, "Gamma"), "Gamma");
      const D = ownCt("D");
      const F = peerCt("F");
      const DHat = ownCt("DHat");
      const FHat = peerCt("FHat");
      const psiTilde = decodeElogProof(obj(body, "psiTilde"));
      const psi = decodeAffGProof(obj(body, "psi"), ctx.profile, key, peerKey, ownRp);
      const psiHat = decodeAffGProof(obj(body, "psiHat"), ctx.profile, key, peerKey, ownRp);
      verifyElog(
        ss(ctx, j, null, "sign.proof_elog", "prime", false),
        { L: decodePoint(r1.B1, "B1"), M: decodePoint(r1.B2, "B2"), X: decodePoint(r1.Y, "Y"), Y: Gj, H: G },
        psiTilde,
      );
      verifyAffG(
        ss(ctx, j, state.self, "sign.proof_psi", "hat", false),
        ctx.profile,
        ownRp,
        { Nj: key, Ni: peerKey, C: Kself, D, Y: F, X: Gj },
        psi,
      );
      verifyAffG(
        ss(ctx, j, state.self, "sign.proof_psi", "hat", true),
        ctx.profile,
        ownRp,
        { Nj: key, Ni: peerKey, C: Kself, D: DHat, Y: FHat, X: ctx.X[p]! },
        psiHat,
      );
      return { Gj, D, DHat };
    });
    Gamma = Gamma.add(Gj);
    alphaSum += decrypt(key, D);
    alphaHatSum += decrypt(key, DHat);
  }
  if (Gamma.is0()) throw new MpcError("Γ is the identity; restart the session");
  const Delta = mul(Gamma, k);
  const delta = toScalar(gamma * k + alphaSum + nat(sec.betaSum!));
  const chi = toScalar(x * k + alphaHatSum + nat(sec.betaHatSum!));
  const S = mul(Gamma, chi);
  const own = state.r1[ctx.pos]!;
  const psiPrime = proveElog(
    ss(ctx, state.self, null, "sign.proof_elog", "prime", true),
    { L: decodePoint(own.A1, "A1"), M: decodePoint(own.A2, "A2"), X: decodePoint(own.Y, "Y"), Y: Delta, H: Gamma },
    { y: k, lambda: a },
  );
  // From here on only k_i and χ_i are needed (for σ_i); the other ephemeral secrets are dropped.
  state.secret = { ...sec, gamma: "", a: "", b: "", rho: "", nu: "", betaSum: "", betaHatSum: "", chi: encodeScalar(chi) };
  state.Gamma = encodePoint(Gamma);
  state.own3 = { delta: encodeScalar(delta), S: encodePoint(S), Delta: encodePoint(Delta) };
  state.round += 1;
  return {
    state,
    outgoing: [makeMessage(state, state.round, "all", { ...state.own3, psiPrime: encodeElogProof(psiPrime) })],
  };
}

function onR3(state: SignState, inbox: Message[]): SignStep {
  const ctx = context(state);
  const sec = secrets(state);
  if (!state.Gamma || !state.own3) throw new MpcError("signing state lacks round-2 results");
  const Gamma = decodePoint(state.Gamma, "Gamma");
  const deltas: bigint[] = [];
  const Deltas: PointT[] = [];
  const Ss: PointT[] = [];
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) {
      deltas.push(decodeScalar(state.own3.delta, "delta"));
      Deltas.push(decodePoint(state.own3.Delta, "Delta"));
      Ss.push(decodePoint(state.own3.S, "S"));
      continue;
    }
    const r1 = state.r1[p]!;
    const got = checkFrom(j, "r3", () => {
      const body = pick(inbox, j, "all").payload;
      const d = {
        delta: decodeScalar(str(body, "delta"), "delta"),
        S: decodePoint(str(body, "S"), "S"),
        Delta: decodePoint(str(body, "Delta"), "Delta"),
        psiPrime: decodeElogProof(obj(body, "psiPrime")),
      };
      verifyElog(
        ss(ctx, j, null, "sign.proof_elog", "prime", true),
        { L: decodePoint(r1.A1, "A1"), M: decodePoint(r1.A2, "A2"), X: decodePoint(r1.Y, "Y"), Y: d.Delta, H: Gamma },
        d.psiPrime,
      );
      return d;
    });
    deltas.push(got.delta);
    Deltas.push(got.Delta);
    Ss.push(got.S);
  }
  const delta = toScalar(deltas.reduce((acc, d) => acc + d, 0n));
  const DeltaSum = Deltas.reduce((acc, P) => acc.add(P), IDENTITY);
  const SSum = Ss.reduce((acc, P) => acc.add(P), IDENTITY);
  if (delta === 0n || !mulGPublic(delta).equals(DeltaSum) || !mulPublic(ctx.pk, delta).equals(SSum)) {
    // Without the paper's Π^dec rounds the culprit is only identifiable when there is a single peer.
    const peers = state.signers.filter((j) => j !== state.self);
    throw new PeerFault(peers.length === 1 ? peers[0]! : -1, "delta_mismatch", "δ·G ≠ ΣΔ_j or δ·pk ≠ ΣS_j");
  }
  const deltaInv = Fn.inv(delta);
  const xGamma = Gamma.toAffine().x;
  // x(Γ) ≥ q would need recovery id 2/3, which Ethereum cannot express.
  if (xGamma >= q) throw new MpcError("x(Γ) ≥ q: restart the session with fresh randomness");
  const r = xGamma;
  const m = toScalar(nat(state.messageHash));
  const kTilde = Fn.mul(decodeScalar(sec.k, "k"), deltaInv);
  const chiTilde = Fn.mul(decodeScalar(sec.chi!, "chi"), deltaInv);
  const sigma = Fn.add(Fn.mul(kTilde, m), Fn.mul(r, chiTilde));
  state.presig = {
    r: encodeScalar(r),
    DeltaTilde: Deltas.map((P) => encodePoint(mulPublic(P, deltaInv))),
    STilde: Ss.map((P) => encodePoint(mulPublic(P, deltaInv))),
  };
  state.sigma = encodeScalar(sigma);
  // σ_i is being released: the presignature secrets must never be used again.
  state.secret = null;
  state.round += 1;
  return { state, outgoing: [makeMessage(state, state.round, "all", { sigma: encodeScalar(sigma) })] };
}

function onR4(state: SignState, inbox: Message[]): SignStep {
  const ctx = context(state);
  if (!state.Gamma || !state.presig || !state.sigma) throw new MpcError("signing state lacks the presignature");
  const Gamma = decodePoint(state.Gamma, "Gamma");
  const r = decodeScalar(state.presig.r, "r", { nonZero: true });
  const m = toScalar(nat(state.messageHash));
  let s = 0n;
  for (const [p, j] of state.signers.entries()) {
    if (j === state.self) {
      s = Fn.add(s, decodeScalar(state.sigma, "sigma"));
      continue;
    }
    const sigma = checkFrom(j, "r4", () => decodeScalar(str(pick(inbox, j, "all").payload, "sigma"), "sigma"));
    const expected = mulPublic(decodePoint(state.presig.DeltaTilde[p]!, "DeltaTilde"), m).add(
      mulPublic(decodePoint(state.presig.STilde[p]!, "STilde"), r),
    );
    if (!mulPublic(Gamma, sigma).equals(expected)) throw new PeerFault(j, "sigma", "σ_j·Γ ≠ m·Δ̃_j + r·S̃_j");
    s = Fn.add(s, sigma);
  }
  if (s === 0n) throw new MpcError("s = 0: restart the session");
  const negate = s > HALF_Q;
  if (negate) s = q - s;
  const v = (((Gamma.toAffine().y & 1n) === 1n) !== negate ? 1 : 0) as 0 | 1;
  const sig = new secp256k1.Signature(r, s);
  const hash = hexToBytes(state.messageHash);
  if (!secp256k1.verify(sig.toBytes("compact"), hash, ctx.pk.toBytes(true), { prehash: false })) {
    throw new MpcError("combined signature does not verify");
  }
  return {
    output: { r: encodeScalar(r), s: encodeScalar(s), v, messageHash: state.messageHash, publicKey: state.publicKey },
  };
}

/** Advance the signing state machine with messages of the current round. */
export function stepSign(prev: SignState, incoming: readonly unknown[], options: SignStepOptions = {}): SignStep {
  const phase = phaseOf(prev);
  return advance<SignState, EcdsaSignature>(prev, SHAPES[phase], incoming, (state, inbox) => {
    switch (phase) {
      case "r1":
        return onR1(state, inbox, options.nonces);
      case "echo":
        return onEcho(state, inbox, options.nonces);
      case "r2":
        return onR2(state, inbox);
      case "r3":
        return onR3(state, inbox);
      case "r4":
        return onR4(state, inbox);
    }
  });
}

export const sign = { start: startSign, step: stepSign, phaseOf };
