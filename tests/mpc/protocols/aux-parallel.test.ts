import { beforeAll, describe, expect, it } from "vitest";
import { auxCommitment, startAux, startAuxParallel, stepAux, stepAuxParallel, type AuxState, type AuxStep } from "@/lib/mpc/aux";
import { decodeAuxInfo, type AuxInfo, type KeyShare } from "@/lib/mpc/key-share";
import { FAST_TEST } from "@/lib/mpc/params";
import {
  evenCuts,
  runJobsSliced,
  runRepetitionJob,
  type RepetitionJob,
  type RepetitionResult,
  type RepetitionRunner,
} from "@/lib/mpc/proofs/repetitions";
import { applyStep, cloneJson, isAborted, isFinished, type LocalRun, type Message } from "@/lib/mpc/protocol";
import { RepetitionPool } from "@/lib/mpc/worker/repetition-pool";
import { localDkgParty, localDkgPartyParallel } from "@/lib/signing/local-party";
import { fixturePrimes, randomSid } from "./fixtures";
import { recipientsOf } from "./harness";
import { InProcessRepetitionWorker } from "./repetition-workers";

/** Slices of `parts` repetitions each; `alter` may rewrite a slice's result (a tampering helper worker). */
function slicing(parts: number, alter?: (slice: RepetitionJob, r: RepetitionResult) => RepetitionResult): RepetitionRunner {
  return (jobs) =>
    runJobsSliced(
      jobs,
      async (slice) => {
        const r = runRepetitionJob(slice);
        return alter ? alter(slice, r) : r;
      },
      (count) => evenCuts(count, parts),
    );
}

type Stepper = (s: AuxState, incoming: Message[]) => AuxStep | Promise<AuxStep>;
const recorded = new Map<number, { states: Map<number, AuxState>; messages: Message[] }>();
let outputs: Map<number, AuxInfo>;
let poolWorkers: InProcessRepetitionWorker[];

beforeAll(async () => {
  const sid = randomSid();
  const primes = fixturePrimes(3);
  poolWorkers = [];
  const pool = new RepetitionPool({ makeWorker: () => poolWorkers[poolWorkers.push(new InProcessRepetitionWorker()) - 1]! });
  // Party 0: the worker pool; party 1: uneven slices in place; party 2: the sequential stepAux.
  const steppers: Stepper[] = [(s, m) => stepAuxParallel(s, m, pool.run), (s, m) => stepAuxParallel(s, m, slicing(3)), stepAux];
  const params = (i: number) => ({ index: i, n: 3, sid, primes: primes[i]!, profile: FAST_TEST });
  const starts = [await startAuxParallel(params(0), pool.run), await startAuxParallel(params(1), slicing(5)), startAux(params(2))];
  const states = new Map(starts.map((s) => [s.state.self, s.state]));
  outputs = new Map();
  let pending = starts.flatMap((s) => s.outgoing);
  for (let guard = 0; guard < 10 && states.size > 0; guard++) {
    recorded.set(pending[0]!.round, { states: new Map([...states].map(([id, st]) => [id, cloneJson(st)])), messages: cloneJson(pending) });
    const run: LocalRun<AuxState, AuxInfo> = { states, outputs, next: [] };
    for (const [id, st] of [...states]) {
      applyStep(run, id, await steppers[id]!(st, pending.filter((m) => recipientsOf(m, [0, 1, 2]).includes(id))));
    }
    pending = run.next;
  }
  pool.close();
}, 600_000);

/** Party 0's messages of `round`, with party 1's replaced by `fromOne` when given. */
function inboxOfZero(round: number, fromOne?: Message[]): Message[] {
  const all = recorded.get(round)!.messages.filter((m) => m.from !== 0 && (m.to === "all" || m.to === 0));
  return fromOne ? [...all.filter((m) => m.from !== 1), ...fromOne.filter((m) => m.to === "all" || m.to === 0)] : all;
}

describe("aux info with the repetitions in slices and worker pools", () => {
  it("parties computing in a pool, in slices and in one piece agree", () => {
    expect(outputs.size).toBe(3);
    const decoded = [0, 1, 2].map((i) => decodeAuxInfo(outputs.get(i)!, FAST_TEST));
    for (const d of decoded) expect(d.parties).toEqual(decoded[0]!.parties);
    // Both helper workers were used, and the pool terminated them at the end.
    expect(poolWorkers).toHaveLength(2);
    expect(poolWorkers.every((w) => w.jobs > 0 && w.terminated)).toBe(true);
  });

  it("a peer whose Π^mod slice was tampered with is blamed, sliced or not", async () => {
    // Party 1 recomputes its proofs round with a helper that corrupts the response of repetition 70.
    const rec = recorded.get(3)!;
    const state1 = cloneJson(rec.states.get(1)!);
    const incoming1 = rec.messages.filter((m) => m.from !== 1 && (m.to === "all" || m.to === 1));
    let tampered = 0;
    const bad = slicing(4, (slice, r) => {
      if (slice.kind !== "mod.prove" || r.kind !== "mod.items" || slice.ys.length !== 32) return r;
      // The third of four slices holds repetitions 64…95.
      if (tampered++ !== 2) return r;
      return { kind: "mod.items", items: r.items.map((it, i) => (i === 6 ? { ...it, x: (it.x * 2n) % (slice.p * slice.q) } : it)) };
    });
    const r1 = await stepAuxParallel(state1, incoming1, bad);
    expect(tampered).toBe(4);
    if (isAborted(r1) || isFinished(r1)) throw new Error("party 1 should continue");
    const state0 = cloneJson(recorded.get(4)!.states.get(0)!);
    const sequential = stepAux(cloneJson(state0), inboxOfZero(4, r1.outgoing));
    const sliced = await stepAuxParallel(cloneJson(state0), inboxOfZero(4, r1.outgoing), slicing(3));
    for (const r of [sequential, sliced]) {
      expect(isAborted(r)).toBe(true);
      if (isAborted(r)) expect(r.abort).toMatchObject({ party: 1, protocol: "aux", check: "mod.x_eq" });
    }
    expect(sliced).toEqual(sequential);
  });

  it("a peer whose Π^prm slice was tampered with is blamed, sliced or not", async () => {
    const sid = recorded.get(3)!.states.get(0)!.sid;
    const bad = slicing(2, (slice, r) =>
      slice.kind === "prm.commit" && r.kind === "prm.commitments" ? { kind: "prm.commitments", A: r.A.map((A, i) => (i === 3 ? A + 1n : A)) } : r,
    );
    // A party 1 whose helper returned a wrong A_k: its own decommitment carries the bad proof.
    const start1 = await startAuxParallel({ index: 1, n: 3, sid, primes: fixturePrimes(3)[1]!, profile: FAST_TEST }, bad);
    const decommit: Message = { ...inboxOfZero(3).find((m) => m.from === 1)!, payload: { ...start1.state.own } };
    const state0 = cloneJson(recorded.get(3)!.states.get(0)!);
    state0.commitments[1] = auxCommitment(sid, 1, start1.state.own);
    const incoming = inboxOfZero(3, [decommit]);
    const sequential = stepAux(cloneJson(state0), incoming);
    const sliced = await stepAuxParallel(cloneJson(state0), incoming, slicing(4));
    for (const r of [sequential, sliced]) {
      expect(isAborted(r)).toBe(true);
      if (isAborted(r)) expect(r.abort).toMatchObject({ party: 1, protocol: "aux", check: "prm.equation" });
    }
    expect(sliced).toEqual(sequential);
  });

  it("a proof altered in transit is rejected by the sliced verifier as by the sequential one", async () => {
    const state0 = cloneJson(recorded.get(4)!.states.get(0)!);
    const alter = (m: Message): Message => {
      const body = cloneJson(m.payload) as { mod: { items: { x: string }[] } };
      const it = body.mod.items[100]!;
      it.x = it.x.slice(0, -1) + (parseInt(it.x.slice(-1), 16) ^ 1).toString(16);
      return { ...m, payload: body };
    };
    const incoming = inboxOfZero(4).map((m) => (m.from === 2 ? alter(m) : m));
    const sequential = stepAux(cloneJson(state0), incoming);
    const sliced = await stepAuxParallel(cloneJson(state0), incoming, slicing(3));
    expect(isAborted(sequential) && sequential.abort).toMatchObject({ party: 2, check: "mod.x_eq" });
    expect(sliced).toEqual(sequential);
  });
});

describe("the wizard's party (lib/signing/local-party) with a repetition pool", () => {
  it("keygen + aux: a pooled, a sliced and a sequential party end with matching key shares", async () => {
    const sid = randomSid();
    const auxSid = randomSid();
    const primes = fixturePrimes(3, 3);
    const workers: InProcessRepetitionWorker[] = [];
    const pool = new RepetitionPool({ makeWorker: () => workers[workers.push(new InProcessRepetitionWorker()) - 1]! });
    const opts = (index: number) => ({ index, n: 3, threshold: 2, sid, auxSid, primes: primes[index]!, profile: FAST_TEST });
    const parties = [localDkgPartyParallel(opts(0), pool.run), localDkgPartyParallel(opts(1), slicing(2)), localDkgParty(opts(2))];
    const queues = new Map<number, Message[]>(parties.map((p) => [p.index, []]));
    const post = (out: Message[]) => {
      for (const m of out) for (const to of recipientsOf(m, [0, 1, 2])) queues.get(to)!.push(m);
    };
    for (const p of parties) post(p.start());
    const shares = new Map<number, KeyShare>();
    for (let guard = 0; guard < 50 && shares.size < 3; guard++) {
      for (const p of parties) {
        const batch = queues.get(p.index)!.splice(0);
        if (!batch.length) continue;
        // A party with more rounds ready (the pooled ones go round by round) is called again.
        for (let ev = await p.receive(batch); ; ev = await p.receive([])) {
          expect(ev.abort).toBeUndefined();
          if (ev.output) shares.set(p.index, ev.output);
          post(ev.outgoing);
          if (!ev.more) break;
        }
      }
    }
    pool.close();
    expect(shares.size).toBe(3);
    const keys = [...shares.values()];
    for (const k of keys) expect(k.core.publicKey).toBe(keys[0]!.core.publicKey);
    for (const k of keys) expect(k.aux.parties).toEqual(keys[0]!.aux.parties);
    expect(workers.length).toBe(2);
    expect(workers.every((w) => w.jobs > 0 && w.terminated)).toBe(true);
  });
});
