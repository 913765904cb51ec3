/**
 * A client party may start key generation before its safe primes exist (the agent's `countersign
 * join` generates them meanwhile): keygen runs at once, the party waits for its primes only when its
 * aux info starts, and the other parties' aux info proceeds in the meantime.
 */
import { describe, expect, it } from "vitest";
import { FAST_TEST, type AuxPrimes, type KeyShare, type Message } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { runRepetitionJob, type RepetitionRunner } from "@/lib/mpc/proofs/repetitions";
import { localDkgParty, localDkgPartyParallel, type AsyncLocalParty } from "@/lib/signing/local-party";
import { advanceParty, startKeygenParty } from "@/lib/signing/party";

const fixture = fixtureSafePrimes(1024);
const primesAt = (o: number): AuxPrimes => ({ p: fixture[o]!, q: fixture[o + 1]!, pHat: fixture[o + 2]!, qHat: fixture[o + 3]! });
const hex32 = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
const inPlace: RepetitionRunner = async (jobs) => jobs.map(runRepetitionJob);

describe("key generation with primes that arrive later", () => {
  it("runs keygen first, holds the aux info until the primes arrive, goes on round by round, and ends in the same key for all three", async () => {
    ensureBackendSelected();
    const sid = hex32();
    const auxSid = hex32();
    let release!: (p: AuxPrimes) => void;
    const late = new Promise<AuxPrimes>((resolve) => (release = resolve));
    const waiting = localDkgPartyParallel({ index: 0, n: 3, threshold: 2, sid, auxSid, primes: late, profile: FAST_TEST }, inPlace);
    const others = [1, 2].map((i) => localDkgParty({ index: i, n: 3, threshold: 2, sid, auxSid, primes: primesAt(4 * i), profile: FAST_TEST }));
    // Parties 1 and 2 take each batch before party 0, so they are not held up while party 0 waits.
    const parties: AsyncLocalParty<KeyShare>[] = [...others, waiting];
    const sent: Message[] = [];
    const shares = new Map<number, KeyShare>();
    const events: { rounds: string[]; more: boolean }[] = [];
    const held: Message[] = [];
    let queue = parties.flatMap((p) => p.start());
    sent.push(...queue);
    let waitingCalled = () => {};
    const partyZeroWaits = new Promise<void>((r) => (waitingCalled = r));
    const run = (async () => {
      while (queue.length || held.length) {
        const next: Message[] = [];
        for (const p of parties) {
          const fresh = queue.filter((m) => m.from !== p.index && (m.to === "all" || m.to === p.index));
          const incoming = p === waiting ? [...held.splice(0), ...fresh] : fresh;
          if (!incoming.length || p.done) continue;
          // Party 0 gets keygen's last round together with the others' first aux messages: the batch a
          // slow client takes in after a while, which holds two rounds of work.
          if (p === waiting && incoming.some((m) => m.protocol === "keygen" && m.round === 4) && !incoming.some((m) => m.protocol === "aux")) {
            held.push(...incoming);
            continue;
          }
          if (p === waiting && sent.some((m) => m.protocol === "aux" && m.from !== 0)) waitingCalled();
          // A party that reports more rounds ready is advanced again, after its messages are out.
          for (let ev = await p.receive(incoming); ; ev = await p.receive([])) {
            if (p === waiting) events.push({ rounds: ev.outgoing.map((m) => `${m.protocol}${m.round}`), more: ev.more === true });
            expect(ev.abort).toBeUndefined();
            if (ev.output) shares.set(p.index, ev.output);
            next.push(...ev.outgoing);
            sent.push(...ev.outgoing);
            if (!ev.more) break;
          }
        }
        queue = next;
      }
    })();
    await partyZeroWaits;
    // Keygen is complete everywhere: parties 1 and 2 already sent their first aux messages; party 0 sent
    // all its keygen messages and nothing of the aux info.
    expect(sent.filter((m) => m.protocol === "aux" && m.from !== 0).length).toBeGreaterThan(0);
    expect(sent.some((m) => m.from === 0 && m.protocol === "keygen" && m.round === 4)).toBe(true);
    expect(sent.some((m) => m.from === 0 && m.protocol === "aux")).toBe(false);
    release(primesAt(0));
    await run;
    expect([...shares.keys()].sort()).toEqual([0, 1, 2]);
    const keys = new Set([...shares.values()].map((s) => s.core.publicKey));
    expect(keys.size).toBe(1);
    expect(BigInt(`0x${shares.get(0)!.aux.p}`)).toBe(primesAt(0).p); // its aux info is on the primes that came late
    // Round by round: the others' first aux messages were waiting when the primes came, yet party 0
    // handed out its own first round alone (more to do), and its second round on the next call.
    const firstAux = events.findIndex((e) => e.rounds.some((r) => r.startsWith("aux")));
    expect(events[firstAux]!.more).toBe(true);
    expect(events[firstAux]!.rounds.every((r) => r === "aux1")).toBe(true);
    expect(events[firstAux + 1]!.rounds.length).toBeGreaterThan(0);
    expect(events[firstAux + 1]!.rounds.every((r) => r === "aux2")).toBe(true);
  });

  it("a keygen party may start without primes (four or none); primes supplied before keygen ends change nothing", () => {
    const started = startKeygenParty({ index: 0, n: 3, threshold: 2, sid: hex32(), auxSid: hex32(), profile: FAST_TEST });
    expect(started.state.phase).toBe("keygen");
    expect(() => startKeygenParty({ index: 0, n: 3, threshold: 2, sid: hex32(), auxSid: hex32(), primes: [3n], profile: FAST_TEST })).toThrow(/four primes/);
    // With no messages to act on, supplying primes to a keygen-phase party changes nothing.
    const r = advanceParty(started.state, [], FAST_TEST, undefined, undefined, { primes: primesAt(0) });
    expect(r).toMatchObject({ kind: "continue", outgoing: [] });
    expect(r.kind === "continue" && r.state.phase).toBe("keygen");
  });
});
