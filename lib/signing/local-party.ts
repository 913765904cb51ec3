/**
 * A client's side of a ceremony (the browser's user party, the agent's party): the same party state
 * machine the server runs (lib/signing/party.ts), held in memory so a driver can feed it whatever
 * messages arrive. Isomorphic.
 */
import type { AuxPrimes, EcdsaSignature, KeyShare, Message, NonceSource, ProtocolBlame, SecurityProfile } from "@/lib/mpc";
import type { IdentityKeys } from "./message-auth";
import { advanceParty, startKeygenParty, startSignParty, type PartyIdentity, type PartyState } from "./party";

export type PartyEvent<O> = { outgoing: Message[]; output?: O; abort?: ProtocolBlame };

export interface LocalParty<O> {
  readonly index: number;
  start(): Message[];
  receive(incoming: Message[]): PartyEvent<O>;
  readonly done: boolean;
}

function localParty<O>(index: number, profile: SecurityProfile, begin: () => { state: PartyState; outgoing: Message[] }, identity?: PartyIdentity, nonces?: NonceSource): LocalParty<O> {
  let state: PartyState | undefined;
  let done = false;
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
      const r = advanceParty(state, incoming, profile, identity, nonces);
      switch (r.kind) {
        case "continue":
          state = r.state;
          return { outgoing: r.outgoing };
        case "abort":
          return { outgoing: r.outgoing, abort: r.blame };
        case "keyShare":
          done = true;
          return { outgoing: r.outgoing, output: r.share as O };
        case "signature":
          done = true;
          return { outgoing: r.outgoing, output: r.signature as O };
      }
    },
  };
}

/** Keygen followed by aux-info generation, ending in this party's full key share. */
/** With `identities`, messages are signed with `identity` and every peer's must verify (message-auth.ts). */
type AuthOpts = { identities?: IdentityKeys; identity?: PartyIdentity };

export function localDkgParty(opts: { index: number; n: number; threshold: number; sid: string; auxSid: string; primes: AuxPrimes; profile: SecurityProfile } & AuthOpts): LocalParty<KeyShare> {
  const { p, q, pHat, qHat } = opts.primes;
  return localParty(opts.index, opts.profile, () => startKeygenParty({ ...opts, primes: [p, q, pHat, qHat] }), opts.identity);
}

/** `nonces`: precomputed Paillier nonces (lib/mpc/nonces.ts), e.g. the agent's start-up pool. */
export function localSignParty(opts: { share: KeyShare; signers: number[]; messageHash: string; sid: string; profile: SecurityProfile; nonces?: NonceSource } & AuthOpts): LocalParty<EcdsaSignature> {
  return localParty(opts.share.core.index, opts.profile, () => startSignParty(opts), opts.identity, opts.nonces);
}
