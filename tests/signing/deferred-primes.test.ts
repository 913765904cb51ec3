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

type Event = { party: number; rounds: string[]; more: boolean };

/**
 * Three parties, each in a loop of its own as if in its own process (a party waiting for its primes
 * holds up nobody else). `take` picks what a party takes in from its inbox now (the rest waits): the
 * batches a slow client takes in, which hold two rounds at once.
 */
async function runDkg(parties: AsyncLocalParty<KeyShare>[], take: (party: number, inbox: Message[]) => Message[], sent: Message[], events: Event[]) {
  const inbox = new Map(parties.map((p) => [p.index, [] as Message[]]));
  const post = (out: Message[]) => {
    for (const m of out) {
      sent.push(m);
      for (const p of parties) if (p.index !== m.from && (m.to === "all" || m.to === p.index)) inbox.get(p.index)!.push(m);
    }
  };
  for (const p of parties) post(p.start());
  const shares = new Map<number, KeyShare>();
  await Promise.all(
    parties.map(async (p) => {
      let more = false;
      for (let idle = 0; !p.done; ) {
        const box = inbox.get(p.index)!;
        const batch = more ? [] : take(p.index, box);
        if (!more && batch.length === 0) {
          if (++idle > 20_000) throw new Error(`party ${p.index} stalled`);
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        inbox.set(p.index, box.filter((m) => !batch.includes(m)));
        // A party that reported more rounds ready is advanced again before it takes new messages.
        const ev = await p.receive(batch);
        events.push({ party: p.index, rounds: ev.outgoing.map((m) => `${m.protocol}${m.round}`), more: ev.more === true });
        if (ev.abort) throw new Error(`party ${p.index} aborted: ${JSON.stringify(ev.abort)}`);
        if (ev.output) shares.set(p.index, ev.output);
        post(ev.outgoing);
        more = ev.more === true;
      }
    }),
  );
  return shares;
}

async function until(condition: () => boolean) {
  for (let i = 0; !condition(); i++) {
    if (i > 20_000) throw new Error("condition never met");
    await new Promise((r) => setTimeout(r, 2));
  }
}

function setup() {
  ensureBackendSelected();
  const sid = hex32();
  const auxSid = hex32();
  let release!: (p: AuxPrimes) => void;
  const late = new Promise<AuxPrimes>((resolve) => (release = resolve));
  const waiting = localDkgPartyParallel({ index: 0, n: 3, threshold: 2, sid, auxSid, primes: late, profile: FAST_TEST }, inPlace);
  const others = [1, 2].map((i) => localDkgParty({ index: i, n: 3, threshold: 2, sid, auxSid, primes: primesAt(4 * i), profile: FAST_TEST }));
  return { parties: [waiting, ...others] as AsyncLocalParty<KeyShare>[], release };
}

const count = (box: Message[], protocol: string, round: number) => box.filter((m) => m.protocol === protocol && m.round === round).length;

describe("key generation with primes that arrive later", () => {
  it("runs keygen first and sends its last keygen round before waiting, so the others start their aux info meanwhile", async () => {
    const { parties, release } = setup();
    const sent: Message[] = [];
    const events: Event[] = [];
    // Party 0 takes keygen's rounds 3 and 4 in one batch: the step that sends its round 4 also ends its keygen.
    const run = runDkg(parties, (i, box) => (i === 0 && count(box, "keygen", 3) > 0 && count(box, "keygen", 4) < 2 ? [] : box), sent, events);
    await until(() => [1, 2].every((i) => sent.some((m) => m.from === i && m.protocol === "aux")));
    // Keygen is complete everywhere and parties 1 and 2 started their aux info; party 0 sent its
    // round 4 but nothing of the aux info: it waits for its primes.
    expect(sent.some((m) => m.from === 0 && m.protocol === "keygen" && m.round === 4)).toBe(true);
    expect(sent.some((m) => m.from === 0 && m.protocol === "aux")).toBe(false);
    release(primesAt(0));
    const shares = await run;
    expect([...shares.keys()].sort()).toEqual([0, 1, 2]);
    expect(new Set([...shares.values()].map((s) => s.core.publicKey)).size).toBe(1);
    expect(BigInt(`0x${shares.get(0)!.aux.p}`)).toBe(primesAt(0).p); // its aux info is on the primes that came late
  });

  it("goes round by round: with the others' first aux round already in, it sends its own first round before computing the second", async () => {
    const { parties, release } = setup();
    const sent: Message[] = [];
    const events: Event[] = [];
    // Party 0 takes keygen's round 4 together with the others' first aux round.
    const run = runDkg(parties, (i, box) => (i === 0 && count(box, "aux", 1) < 2 ? box.filter((m) => !(m.protocol === "keygen" && m.round === 4)) : box), sent, events);
    await until(() => [1, 2].every((i) => sent.some((m) => m.from === i && m.protocol === "aux")));
    release(primesAt(0));
    const shares = await run;
    expect(new Set([...shares.values()].map((s) => s.core.publicKey)).size).toBe(1);
    const mine = events.filter((e) => e.party === 0);
    const firstAux = mine.findIndex((e) => e.rounds.some((r) => r.startsWith("aux")));
    expect(mine[firstAux]).toMatchObject({ more: true });
    expect(mine[firstAux]!.rounds.every((r) => r === "aux1")).toBe(true);
    expect(mine[firstAux + 1]!.rounds.length).toBeGreaterThan(0);
    expect(mine[firstAux + 1]!.rounds.every((r) => r === "aux2")).toBe(true);
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
