/**
 * A client's side of a ceremony (the browser's user party, the agent's party): the same state
 * machines the server runs, wrapped so a driver can feed it whatever messages arrive. Isomorphic.
 */
import {
  isAborted,
  isFinished,
  startAux,
  startKeygen,
  startSign,
  stepAux,
  stepKeygen,
  stepSign,
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

export type PartyEvent<O> = { outgoing: Message[]; output?: O; abort?: ProtocolBlame };

export interface LocalParty<O> {
  readonly index: number;
  start(): Message[];
  receive(incoming: Message[]): PartyEvent<O>;
  readonly done: boolean;
}

/** Keygen followed by aux-info generation, ending in this party's full key share. */
export function localDkgParty(opts: { index: number; n: number; threshold: number; sid: string; auxSid: string; primes: AuxPrimes; profile: SecurityProfile }): LocalParty<KeyShare> {
  let kg: KeygenState | undefined;
  let ax: AuxState | undefined;
  let core: CoreKeyShare | undefined;
  let pending: Message[] = [];
  let done = false;
  return {
    index: opts.index,
    get done() {
      return done;
    },
    start() {
      const s = startKeygen({ index: opts.index, n: opts.n, threshold: opts.threshold, sid: opts.sid, profile: opts.profile });
      kg = s.state;
      return s.outgoing;
    },
    receive(incoming) {
      pending.push(...incoming);
      const outgoing: Message[] = [];
      for (;;) {
        if (done) return { outgoing };
        if (kg) {
          const ready = pending.filter((m) => m.protocol === "keygen" && m.round <= kg!.round);
          if (!ready.length) return { outgoing };
          pending = pending.filter((m) => !ready.includes(m));
          const r = stepKeygen(kg, ready);
          if (isAborted(r)) return { outgoing, abort: r.abort };
          if (isFinished(r)) {
            core = r.output;
            kg = undefined;
            const a = startAux({ index: opts.index, n: opts.n, sid: opts.auxSid, primes: opts.primes, profile: opts.profile });
            ax = a.state;
            outgoing.push(...a.outgoing);
          } else {
            kg = r.state;
            outgoing.push(...r.outgoing);
          }
        } else if (ax) {
          const ready = pending.filter((m) => m.protocol === "aux" && m.round <= ax!.round);
          if (!ready.length) return { outgoing };
          pending = pending.filter((m) => !ready.includes(m));
          const r = stepAux(ax, ready);
          if (isAborted(r)) return { outgoing, abort: r.abort };
          if (isFinished(r)) {
            done = true;
            return { outgoing, output: { core: core!, aux: r.output } };
          }
          ax = r.state;
          outgoing.push(...r.outgoing);
        } else return { outgoing };
      }
    },
  };
}

export function localSignParty(opts: { share: KeyShare; signers: number[]; messageHash: string; sid: string; profile: SecurityProfile }): LocalParty<EcdsaSignature> {
  let st: SignState | undefined;
  let pending: Message[] = [];
  let done = false;
  return {
    index: opts.share.core.index,
    get done() {
      return done;
    },
    start() {
      const s = startSign(opts);
      st = s.state;
      return s.outgoing;
    },
    receive(incoming) {
      pending.push(...incoming);
      const outgoing: Message[] = [];
      for (;;) {
        if (done || !st) return { outgoing };
        const ready = pending.filter((m) => m.round <= st!.round);
        if (!ready.length) return { outgoing };
        pending = pending.filter((m) => !ready.includes(m));
        const r = stepSign(st, ready);
        if (isAborted(r)) return { outgoing, abort: r.abort };
        if (isFinished(r)) {
          done = true;
          return { outgoing, output: r.output };
        }
        st = r.state;
        outgoing.push(...r.outgoing);
      }
    },
  };
}
