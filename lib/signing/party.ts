/**
 * One party of a ceremony as a pure function over a JSON-safe state: key generation (threshold
 * keygen, then auxiliary info, ending in a full key share) or signing. Messages may arrive early (a
 * later round, or aux while keygen is finishing); they wait in `pending` until the state machine
 * reaches their round. No I/O: the server stores the state sealed between HTTP calls
 * (lib/signing/ceremonies.ts); clients keep it in memory (lib/signing/local-party.ts).
 */
import {
  runWork,
  runWorkAsync,
  startAuxWork,
  startKeygen,
  startSign,
  stepAuxWork,
  stepKeygen,
  stepSign,
  signStepNonceDemand,
  isAborted,
  isFinished,
  type AuxPrimes,
  type AuxState,
  type CoreKeyShare,
  type EcdsaSignature,
  type KeyShare,
  type KeygenState,
  type Message,
  type NonceDemand,
  type NonceSource,
  type ProtocolBlame,
  type RepetitionRunner,
  type SecurityProfile,
  type SignState,
  type Work,
} from "@/lib/mpc";
import { signMessage, stripAuth, verifyMessage, type AuthenticatedBlame, type IdentityKeys, type SignedMessage } from "./message-auth";

/**
 * `identities`: every party's Ed25519 identity key for this ceremony (lib/signing/message-auth.ts).
 * When present, incoming messages must be signed by their sender and outgoing ones are signed with
 * the `identity` secret the caller passes (kept out of the state: the server loads its long-term key
 * per call, clients hold theirs in memory).
 */
type Common = { v: 1; pending: Message[]; identities?: IdentityKeys; sigs?: Record<string, string> };
export type PartyState =
  /** `primes` empty: not supplied yet (a client whose primes are still being generated). */
  | (Common & { phase: "keygen"; auxSid: string; primes: string[]; state: KeygenState })
  /** Keygen done, waiting for the primes its aux info needs; aux messages wait in `pending`. */
  | (Common & { phase: "primes"; auxSid: string; core: CoreKeyShare })
  | (Common & { phase: "aux"; core: CoreKeyShare; state: AuxState })
  | (Common & { phase: "sign"; state: SignState });

export type PartyResult =
  /** `more`: stopped after a round's messages with further rounds ready (AdvanceOptions.roundByRound). */
  | { kind: "continue"; state: PartyState; outgoing: Message[]; more?: true }
  | { kind: "keyShare"; share: KeyShare; outgoing: Message[] }
  | { kind: "signature"; signature: EcdsaSignature; outgoing: Message[] }
  | { kind: "abort"; blame: AuthenticatedBlame; outgoing: Message[] };

/** This party's identity secret; required whenever the state names identity keys. */
export type PartyIdentity = { secretKey: Uint8Array };

const hex = (p: bigint) => p.toString(16);

type Auth = { identities?: IdentityKeys; identity?: PartyIdentity };

function signAll(outgoing: Message[], identity: PartyIdentity | undefined, identities: IdentityKeys | undefined): Message[] {
  if (!identities) return outgoing;
  if (!identity) throw new Error("this ceremony authenticates its messages: the party's identity key is required");
  return outgoing.map((m) => signMessage(m, identity.secretKey));
}

/**
 * Without `primes` the party runs keygen and then waits in phase "primes" until an advance supplies
 * them (a client generating its primes meanwhile), so keygen need not wait for them.
 */
export function startKeygenParty(opts: { index: number; n: number; threshold: number; sid: string; auxSid: string; primes?: bigint[]; profile?: SecurityProfile } & Auth) {
  if (opts.primes && opts.primes.length !== 4) throw new Error("key generation needs four primes (Paillier p, q; ring-Pedersen p̂, q̂)");
  const { state, outgoing } = startKeygen({ index: opts.index, n: opts.n, threshold: opts.threshold, sid: opts.sid, profile: opts.profile });
  const s: PartyState = { v: 1, phase: "keygen", auxSid: opts.auxSid, primes: (opts.primes ?? []).map(hex), state, pending: [], ...(opts.identities ? { identities: opts.identities } : {}) };
  return { state: s, outgoing: signAll(outgoing, opts.identity, opts.identities) };
}

export function startSignParty(opts: { share: KeyShare; signers: number[]; messageHash: string; sid: string; profile?: SecurityProfile; nonces?: NonceSource } & Auth) {
  const { state, outgoing } = startSign(opts);
  const s: PartyState = { v: 1, phase: "sign", state, pending: [], ...(opts.identities ? { identities: opts.identities } : {}) };
  return { state: s, outgoing: signAll(outgoing, opts.identity, opts.identities) };
}

/** Paillier nonces the party's next step takes when it completes a round (signing's round 2). */
export function partyNonceDemand(s: PartyState): NonceDemand {
  return s.phase === "sign" ? signStepNonceDemand(s.state) : [];
}

function protocolOf(s: Exclude<PartyState, { phase: "primes" }>): Message["protocol"] {
  return s.phase === "keygen" ? "keygen" : s.phase === "aux" ? "aux" : "sign";
}

function auxPrimes(primes: string[]): AuxPrimes {
  const [p, q, pHat, qHat] = primes.map((h) => BigInt(`0x${h}`));
  return { p: p!, q: q!, pHat: pHat!, qHat: qHat! };
}

/**
 * Feeds every waiting message that belongs to the current round; repeats while rounds complete.
 * Messages for a past round or another protocol than expected are handed to the state machine too,
 * which rejects them with blame on the sender.
 */
export function advanceParty(prev: PartyState, incoming: readonly Message[], profile?: SecurityProfile, identity?: PartyIdentity, nonces?: NonceSource, opts?: AdvanceOptions): PartyResult {
  return runWork(advancePartyWork(prev, incoming, profile, identity, nonces, opts));
}

export type AdvanceOptions = {
  /** Supplies a party waiting in phase "primes" (started without them). */
  primes?: AuxPrimes;
  /**
   * Return after each aux round that produced messages while later rounds are ready too
   * (`more: true`; advance again with no messages to go on), so they can be sent before the next
   * round's proofs are computed: a client that receives two rounds at once otherwise holds back the
   * earlier round's cheap messages, which the other parties need for their own heavy round, for the
   * seconds the later round takes. The server's party uses it too: lib/signing/ceremonies.ts commits
   * each round, then continues (continueServerParty).
   */
  roundByRound?: boolean;
};

/** advanceParty with the aux-info repetitions computed by `runner` (a browser's pool of Web Workers). */
export function advancePartyParallel(prev: PartyState, incoming: readonly Message[], runner: RepetitionRunner, profile?: SecurityProfile, identity?: PartyIdentity, nonces?: NonceSource, opts?: AdvanceOptions): Promise<PartyResult> {
  return runWorkAsync(advancePartyWork(prev, incoming, profile, identity, nonces, opts), runner);
}

function* advancePartyWork(prev: PartyState, incoming: readonly Message[], profile?: SecurityProfile, identity?: PartyIdentity, nonces?: NonceSource, opts: AdvanceOptions = {}): Work<PartyResult> {
  const keys = prev.identities;
  if (!keys) return (yield* advanceVerified(prev, (incoming as SignedMessage[]).map(stripAuth), profile, nonces, opts)).result;
  const signed = incoming as SignedMessage[];
  const forged = signed.find((m) => !keys[m.from] || !verifyMessage(m, keys[m.from]!));
  if (forged) {
    const blame: AuthenticatedBlame = { party: forged.from, protocol: forged.protocol, round: forged.round, check: "message_signature", reason: `message of round ${forged.round} is not signed by party ${forged.from}'s identity key` };
    return { kind: "abort", blame, outgoing: [] };
  }
  // Signatures are kept beside the messages (which the state machines hold without them) for evidence.
  const sigs = { ...prev.sigs };
  for (const m of signed) sigs[sigKey(m)] = m.auth!.sig;
  const { result: r, roundMessages } = yield* advanceVerified({ ...prev, sigs } as PartyState, signed.map(stripAuth), profile, nonces, opts);
  const sign = (x: PartyResult): PartyResult => ({ ...x, outgoing: signAll(x.outgoing, identity, keys) }) as PartyResult;
  if (r.kind !== "abort") return sign(r);
  const blamed = r.blame.party;
  const evidence = roundMessages.filter((m) => m.from === blamed && m.protocol === r.blame.protocol && m.round === r.blame.round && sigs[sigKey(m)]).map((m) => ({ ...m, auth: { sig: sigs[sigKey(m)]! } }));
  return sign(keys[blamed] && evidence.length ? { ...r, blame: { ...r.blame, evidence: { identityKey: keys[blamed]!, messages: evidence } } } : r);
}

const sigKey = (m: Message) => `${m.protocol}:${m.round}:${m.from}:${m.to}`;

/** The state machines proper; on abort also the messages of the round that failed (for evidence). */
function* advanceVerified(prev: PartyState, incoming: readonly Message[], profile?: SecurityProfile, nonces?: NonceSource, opts: AdvanceOptions = {}): Work<{ result: PartyResult; roundMessages: Message[] }> {
  const { primes, roundByRound } = opts;
  const done = (result: PartyResult, roundMessages: Message[] = []) => ({ result, roundMessages });
  let s: PartyState = { ...prev, pending: [...prev.pending, ...incoming] } as PartyState;
  const outgoing: Message[] = [];
  for (;;) {
    if (s.phase === "primes") {
      if (!primes) return done({ kind: "continue", state: s, outgoing });
      if (roundByRound && outgoing.length) return done({ kind: "continue", state: s, outgoing, more: true });
      const a = yield* startAuxWork({ index: s.core.index, n: s.core.n, sid: s.auxSid, primes, profile });
      outgoing.push(...a.outgoing);
      s = { v: 1, phase: "aux", core: s.core, state: a.state, pending: s.pending, ...(s.identities ? { identities: s.identities, sigs: s.sigs } : {}) };
      continue;
    }
    const proto = protocolOf(s);
    const round = s.state.round;
    const ready = s.pending.filter((m) => !(m.protocol === proto ? m.round > round : isLaterProtocol(proto, m.protocol)));
    if (ready.length === 0) return done({ kind: "continue", state: s, outgoing });
    if (roundByRound && s.phase === "aux" && outgoing.length) return done({ kind: "continue", state: s, outgoing, more: true });
    const waiting = s.pending.filter((m) => !ready.includes(m));
    const roundMessages = [...s.state.inbox, ...ready];
    if (s.phase === "keygen") {
      const r = stepKeygen(s.state, ready);
      if (isAborted(r)) return done({ kind: "abort", blame: r.abort, outgoing }, roundMessages);
      if (isFinished(r)) {
        const ids = s.identities ? { identities: s.identities, sigs: s.sigs } : {};
        if (s.primes.length === 0) {
          s = { v: 1, phase: "primes", auxSid: s.auxSid, core: r.output, pending: waiting, ...ids };
          continue;
        }
        const a = yield* startAuxWork({ index: r.output.index, n: r.output.n, sid: s.auxSid, primes: auxPrimes(s.primes), profile });
        outgoing.push(...a.outgoing);
        s = { v: 1, phase: "aux", core: r.output, state: a.state, pending: waiting, ...(s.identities ? { identities: s.identities, sigs: s.sigs } : {}) };
        continue;
      }
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    } else if (s.phase === "aux") {
      const r = yield* stepAuxWork(s.state, ready);
      if (isAborted(r)) return done({ kind: "abort", blame: r.abort, outgoing }, roundMessages);
      if (isFinished(r)) return done({ kind: "keyShare", share: { core: s.core, aux: r.output }, outgoing });
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    } else {
      const r = stepSign(s.state, ready, { nonces });
      if (isAborted(r)) return done({ kind: "abort", blame: r.abort, outgoing }, roundMessages);
      if (isFinished(r)) return done({ kind: "signature", signature: r.output, outgoing });
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    }
  }
}

/** Aux messages may arrive while the server is still in keygen; they must wait, not be rejected. */
function isLaterProtocol(current: Message["protocol"], other: Message["protocol"]): boolean {
  return current === "keygen" && other === "aux";
}
