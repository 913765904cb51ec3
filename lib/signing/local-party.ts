/**
 * A client's side of a ceremony (the browser's user party, the agent's party): the same party state
 * machine the server runs (lib/signing/party.ts), held in memory so a driver can feed it whatever
 * messages arrive. Isomorphic.
 */
import type { AuxPrimes, EcdsaSignature, KeyShare, Message, NonceSource, ProtocolBlame, RepetitionRunner, SecurityProfile } from "@/lib/mpc";
import type { IdentityKeys } from "./message-auth";
import { advanceParty, advancePartyParallel, startKeygenParty, startSignParty, type PartyIdentity, type PartyResult, type PartyState } from "./party";

/** `more`: the party has further rounds ready; call receive([]) again after sending `outgoing`. */
export type PartyEvent<O> = { outgoing: Message[]; output?: O; abort?: ProtocolBlame; more?: boolean };

export interface LocalParty<O> {
  readonly index: number;
  start(): Message[];
  receive(incoming: Message[]): PartyEvent<O>;
  readonly done: boolean;
}

/** A party whose steps may be asynchronous (aux-info repetitions computed in other workers). */
export interface AsyncLocalParty<O> extends Omit<LocalParty<O>, "receive"> {
  receive(incoming: Message[]): PartyEvent<O> | Promise<PartyEvent<O>>;
}

type Advance = (state: PartyState, incoming: Message[]) => PartyResult | Promise<PartyResult>;

function localParty<O>(index: number, begin: () => { state: PartyState; outgoing: Message[] }, advance: Advance): AsyncLocalParty<O> {
  let state: PartyState | undefined;
  let done = false;
  const settle = (r: PartyResult): PartyEvent<O> => {
    switch (r.kind) {
      case "continue":
        state = r.state;
        return r.more ? { outgoing: r.outgoing, more: true } : { outgoing: r.outgoing };
      case "abort":
        return { outgoing: r.outgoing, abort: r.blame };
      case "keyShare":
        done = true;
        return { outgoing: r.outgoing, output: r.share as O };
      case "signature":
        done = true;
        return { outgoing: r.outgoing, output: r.signature as O };
    }
  };
  return {
    index,
    get done() {
      return done;
    },
    start() {
      const s = begin();
      state = s.state;
      return s.outgoing;
    },
    receive(incoming) {
      if (done || !state) return { outgoing: [] };
      const r = advance(state, incoming);
      return r instanceof Promise ? r.then(settle) : settle(r);
    },
  };
}

/** With `identities`, messages are signed with `identity` and every peer's must verify (message-auth.ts). */
type AuthOpts = { identities?: IdentityKeys; identity?: PartyIdentity };

type DkgOpts = { index: number; n: number; threshold: number; sid: string; auxSid: string; primes: AuxPrimes; profile: SecurityProfile } & AuthOpts;

function dkgStart(opts: Omit<DkgOpts, "primes"> & { primes?: AuxPrimes }) {
  const primes = opts.primes && [opts.primes.p, opts.primes.q, opts.primes.pHat, opts.primes.qHat];
  return () => startKeygenParty({ ...opts, primes });
}

/** Keygen followed by aux-info generation, ending in this party's full key share. */
export function localDkgParty(opts: DkgOpts): LocalParty<KeyShare> {
  // advanceParty is synchronous, so receive is too.
  return localParty<KeyShare>(opts.index, dkgStart(opts), (s, incoming) => advanceParty(s, incoming, opts.profile, opts.identity)) as LocalParty<KeyShare>;
}

/**
 * localDkgParty with the aux-info repetitions computed by `repetitions` (e.g. a browser's
 * RepetitionPool). `primes` may still be on their way (a promise): keygen runs meanwhile; once it is
 * done, its last messages go out and the next call waits for the primes before the aux info starts.
 */
export function localDkgPartyParallel(opts: Omit<DkgOpts, "primes"> & { primes: AuxPrimes | Promise<AuxPrimes> }, repetitions: RepetitionRunner): AsyncLocalParty<KeyShare> {
  const pending = opts.primes instanceof Promise ? opts.primes : null;
  let primes = pending ? undefined : (opts.primes as AuxPrimes);
  const advance = (s: PartyState, incoming: Message[]) => advancePartyParallel(s, incoming, repetitions, opts.profile, opts.identity, undefined, { primes, roundByRound: true });
  return localParty<KeyShare>(opts.index, dkgStart({ ...opts, primes }), async (s, incoming) => {
    const r = await advance(s, incoming);
    if (r.kind !== "continue" || r.state.phase !== "primes" || !pending) return r;
    // Keygen's last messages go out first: the others finish keygen and start their aux info
    // while this party still waits for its primes (the driver calls again at once).
    if (r.outgoing.length) return { ...r, more: true };
    primes = await pending;
    return advance(r.state, []);
  });
}

/** `nonces`: precomputed Paillier nonces (lib/mpc/nonces.ts), e.g. the agent's start-up pool. */
export function localSignParty(opts: { share: KeyShare; signers: number[]; messageHash: string; sid: string; profile: SecurityProfile; nonces?: NonceSource } & AuthOpts): LocalParty<EcdsaSignature> {
  return localParty<EcdsaSignature>(opts.share.core.index, () => startSignParty(opts), (s, incoming) => advanceParty(s, incoming, opts.profile, opts.identity, opts.nonces)) as LocalParty<EcdsaSignature>;
}
