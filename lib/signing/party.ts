/**
 * One party of a ceremony as a pure function over a JSON-safe state: key generation (threshold
 * keygen, then auxiliary info, ending in a full key share) or signing. Messages may arrive early (a
 * later round, or aux while keygen is finishing); they wait in `pending` until the state machine
 * reaches their round. No I/O: the server stores the state sealed between HTTP calls
 * (lib/signing/ceremonies.ts); clients keep it in memory (lib/signing/local-party.ts).
 */
import {
  startAux,
  startKeygen,
  startSign,
  stepAux,
  stepKeygen,
  stepSign,
  isAborted,
  isFinished,
  type AuxPrimes,
  type AuxState,
  type CoreKeyShare,
  type EcdsaSignature,
  type KeyShare,
  type KeygenState,
  type Message,
  type ProtocolBlame,
  type SecurityProfile,
  type SignState,
} from "@/lib/mpc";

export type PartyState =
  | { v: 1; phase: "keygen"; auxSid: string; primes: string[]; state: KeygenState; pending: Message[] }
  | { v: 1; phase: "aux"; core: CoreKeyShare; state: AuxState; pending: Message[] }
  | { v: 1; phase: "sign"; state: SignState; pending: Message[] };

export type PartyResult =
  | { kind: "continue"; state: PartyState; outgoing: Message[] }
  | { kind: "keyShare"; share: KeyShare; outgoing: Message[] }
  | { kind: "signature"; signature: EcdsaSignature; outgoing: Message[] }
  | { kind: "abort"; blame: ProtocolBlame; outgoing: Message[] };

const hex = (p: bigint) => p.toString(16);

export function startKeygenParty(opts: { index: number; n: number; threshold: number; sid: string; auxSid: string; primes: bigint[]; profile?: SecurityProfile }) {
  if (opts.primes.length !== 4) throw new Error("key generation needs four primes (Paillier p, q; ring-Pedersen p̂, q̂)");
  const { state, outgoing } = startKeygen({ index: opts.index, n: opts.n, threshold: opts.threshold, sid: opts.sid, profile: opts.profile });
  const s: PartyState = { v: 1, phase: "keygen", auxSid: opts.auxSid, primes: opts.primes.map(hex), state, pending: [] };
  return { state: s, outgoing };
}

export function startSignParty(opts: { share: KeyShare; signers: number[]; messageHash: string; sid: string; profile?: SecurityProfile }) {
  const { state, outgoing } = startSign(opts);
  const s: PartyState = { v: 1, phase: "sign", state, pending: [] };
  return { state: s, outgoing };
}

function protocolOf(s: PartyState): Message["protocol"] {
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
export function advanceParty(prev: PartyState, incoming: readonly Message[], profile?: SecurityProfile): PartyResult {
  let s: PartyState = { ...prev, pending: [...prev.pending, ...incoming] } as PartyState;
  const outgoing: Message[] = [];
  for (;;) {
    const proto = protocolOf(s);
    const ready = s.pending.filter((m) => !(m.protocol === proto ? m.round > s.state.round : isLaterProtocol(proto, m.protocol)));
    if (ready.length === 0) return { kind: "continue", state: s, outgoing };
    const waiting = s.pending.filter((m) => !ready.includes(m));
    if (s.phase === "keygen") {
      const r = stepKeygen(s.state, ready);
      if (isAborted(r)) return { kind: "abort", blame: r.abort, outgoing };
      if (isFinished(r)) {
        const a = startAux({ index: r.output.index, n: r.output.n, sid: s.auxSid, primes: auxPrimes(s.primes), profile });
        outgoing.push(...a.outgoing);
        s = { v: 1, phase: "aux", core: r.output, state: a.state, pending: waiting };
        continue;
      }
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    } else if (s.phase === "aux") {
      const r = stepAux(s.state, ready);
      if (isAborted(r)) return { kind: "abort", blame: r.abort, outgoing };
      if (isFinished(r)) return { kind: "keyShare", share: { core: s.core, aux: r.output }, outgoing };
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    } else {
      const r = stepSign(s.state, ready);
      if (isAborted(r)) return { kind: "abort", blame: r.abort, outgoing };
      if (isFinished(r)) return { kind: "signature", signature: r.output, outgoing };
      outgoing.push(...r.outgoing);
      s = { ...s, state: r.state, pending: waiting };
    }
  }
}

/** Aux messages may arrive while the server is still in keygen; they must wait, not be rejected. */
function isLaterProtocol(current: Message["protocol"], other: Message["protocol"]): boolean {
  return current === "keygen" && other === "aux";
}
