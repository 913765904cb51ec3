import { describe, expect, it } from "vitest";
import { keccak256, recoverAddress, toHex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  FAST_TEST,
  isAborted,
  isFinished,
  startAux,
  startKeygen,
  startSign,
  stepAux,
  stepKeygen,
  stepSign,
  type KeyShare,
  type Message,
} from "@/lib/mpc";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { advanceParty, startKeygenParty, startSignParty, type PartyState } from "@/lib/signing/party";

const primes = fixtureSafePrimes(1024);
const sidHex = () => toHex(crypto.getRandomValues(new Uint8Array(32))).slice(2);
const SERVER = 1;

type Local = { id: number; step: (incoming: Message[]) => { out: Message[]; done?: unknown; abort?: unknown } };

/** A client party: keygen then aux, run directly on the library (as the browser or CLI would). */
function clientDkg(id: number, sid: string, auxSid: string, offset: number) {
  let phase: "keygen" | "aux" | "done" = "keygen";
  let kg = startKeygen({ index: id, n: 3, threshold: 2, sid, profile: FAST_TEST });
  let ax: ReturnType<typeof startAux> | undefined;
  let core: KeyShare["core"] | undefined;
  let share: KeyShare | undefined;
  const first = kg.outgoing;
  const local: Local & { share: () => KeyShare | undefined; first: Message[] } = {
    id,
    first,
    share: () => share,
    step(incoming) {
      const out: Message[] = [];
      let queue = incoming;
      while (queue.length) {
        if (phase === "keygen") {
          const mine = queue.filter((m) => m.protocol === "keygen");
          queue = queue.filter((m) => m.protocol !== "keygen");
          if (!mine.length) break;
          const r = stepKeygen(kg.state, mine);
          if (isAborted(r)) return { out, abort: r.abort };
          if (isFinished(r)) {
            core = r.output;
            ax = startAux({ index: id, n: 3, sid: auxSid, profile: FAST_TEST, primes: { p: primes[offset]!, q: primes[offset + 1]!, pHat: primes[offset + 2]!, qHat: primes[offset + 3]! } });
            out.push(...ax.outgoing);
            phase = "aux";
          } else {
            kg = { state: r.state, outgoing: r.outgoing };
            out.push(...r.outgoing);
          }
        } else if (phase === "aux") {
          const r = stepAux(ax!.state, queue);
          queue = [];
          if (isAborted(r)) return { out, abort: r.abort };
          if (isFinished(r)) {
            share = { core: core!, aux: r.output };
            phase = "done";
          } else {
            ax = { state: r.state, outgoing: r.outgoing };
            out.push(...r.outgoing);
          }
        } else break;
      }
      return { out };
    },
  };
  return local;
}

const recipients = (m: Message, all: number[]) => (m.to === "all" ? all.filter((p) => p !== m.from) : [m.to]);

describe("server party (pure)", () => {
  it("runs 2-of-3 key generation with the server as a party, its state JSON round-tripped, then signs with both server pairs", () => {
    const sid = sidHex();
    const auxSid = sidHex();
    const agent = clientDkg(0, sid, auxSid, 0);
    const user = clientDkg(2, sid, auxSid, 8);
    let server = startKeygenParty({ index: SERVER, n: 3, threshold: 2, sid, auxSid, primes: primes.slice(4, 8), profile: FAST_TEST });
    let serverState: PartyState = server.state;
    let serverShare: KeyShare | undefined;
    let wire: Message[] = [...agent.first, ...user.first, ...server.outgoing];
    for (let guard = 0; guard < 30 && wire.length; guard++) {
      const next: Message[] = [];
      const forServer = wire.filter((m) => recipients(m, [0, 1, 2]).includes(SERVER));
      if (forServer.length && !serverShare) {
        // the server's state lives in a database between calls: JSON round-trip it every time
        const r = advanceParty(JSON.parse(JSON.stringify(serverState)), forServer, FAST_TEST);
        expect(r.kind).not.toBe("abort");
        next.push(...r.outgoing);
        if (r.kind === "continue") serverState = r.state;
        if (r.kind === "keyShare") serverShare = r.share;
      }
      for (const c of [agent, user]) {
        const mine = wire.filter((m) => recipients(m, [0, 1, 2]).includes(c.id));
        if (!mine.length) continue;
        const r = c.step(mine);
        expect(r.abort).toBeUndefined();
        next.push(...r.out);
      }
      wire = next;
    }
    const shares = [agent.share()!, serverShare!, user.share()!];
    expect(shares.every(Boolean)).toBe(true);
    expect(new Set(shares.map((s) => s.core.publicKey)).size).toBe(1);
    const address = publicKeyToAddress(toHex(secp256k1.Point.fromHex(shares[1]!.core.publicKey).toBytes(false)));

    for (const pair of [[0, 1], [1, 2]] as const) {
      const messageHash = keccak256(toHex(`pay ${pair.join("-")}`)).slice(2);
      const signSid = sidHex();
      const client = pair[0] === SERVER ? pair[1] : pair[0];
      let cs = startSign({ share: shares[client]!, signers: [...pair], messageHash, sid: signSid, profile: FAST_TEST });
      const ss = startSignParty({ share: shares[SERVER]!, signers: [...pair], messageHash, sid: signSid, profile: FAST_TEST });
      let st: PartyState = ss.state;
      let toServer = cs.outgoing;
      let toClient = ss.outgoing;
      let sig: unknown;
      for (let i = 0; i < 10 && !sig; i++) {
        const r = advanceParty(JSON.parse(JSON.stringify(st)), toServer, FAST_TEST);
        const c = stepSign(cs.state, toClient);
        expect(isAborted(c)).toBe(false);
        if (r.kind === "signature") sig = r.signature;
        else if (r.kind === "continue") {
          st = r.state;
          toClient = r.outgoing;
        } else throw new Error(`server ${r.kind}`);
        if (!isFinished(c) && !isAborted(c)) {
          cs = { state: c.state, outgoing: c.outgoing };
          toServer = c.outgoing;
        }
      }
      const s = sig as { r: string; s: string; v: 0 | 1 };
      expect(s).toBeTruthy();
      const recovered = recoverAddress({ hash: `0x${messageHash}`, signature: { r: `0x${s.r}`, s: `0x${s.s}`, yParity: s.v } });
      return expect(recovered).resolves.toBe(address);
    }
  });

  it("blames the sender of a malformed message", () => {
    const sid = sidHex();
    const server = startKeygenParty({ index: SERVER, n: 3, threshold: 2, sid, auxSid: sidHex(), primes: primes.slice(4, 8), profile: FAST_TEST });
    const a = startKeygen({ index: 0, n: 3, threshold: 2, sid, profile: FAST_TEST });
    const b = startKeygen({ index: 2, n: 3, threshold: 2, sid, profile: FAST_TEST });
    const forged = a.outgoing.map((m) => ({ ...m, payload: Object.fromEntries(Object.keys(m.payload as object).map((k) => [k, "not-hex"])) }));
    const r = advanceParty(server.state, [...forged, ...b.outgoing], FAST_TEST);
    expect(r.kind).toBe("abort");
    if (r.kind === "abort") expect(r.blame.party).toBe(0);
  });
});
