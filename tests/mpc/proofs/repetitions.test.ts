import { describe, expect, it } from "vitest";
import { encodeModProof, planModProof, proveModItems, verifyMod, type ModProof } from "@/lib/mpc/proofs/mod";
import { encodePrmProof, finishPrm, prmCommitments, prmNonces, verifyPrm, type PrmProof } from "@/lib/mpc/proofs/prm";
import {
  allWork,
  evenCuts,
  proveModWork,
  provePrmWork,
  runJobsSliced,
  runRepetitionJob,
  runWork,
  runWorkAsync,
  verifyModWork,
  verifyPrmWork,
  type RepetitionJob,
  type RepetitionResult,
  type RepetitionRunner,
  type Work,
} from "@/lib/mpc/proofs/repetitions";
import { ProofError } from "@/lib/mpc/errors";
import { publicRingPedersen } from "@/lib/mpc/ring-pedersen";
import { expectCheck, prime, profile, ss, verifierAux } from "./helpers";

/** Small seeded generator, so a failing split can be replayed from the seed in the test name. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Random cut points of `count` repetitions into 1–6 ranges (empty ranges allowed). */
function randomCuts(next: () => number): (count: number) => number[] {
  return (count) => {
    const inner = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * (count + 1)));
    return [0, ...inner.sort((a, b) => a - b), count];
  };
}

/** A runner that cuts every job at random points and computes the slices in a shuffled order. */
function slicingRunner(seed: number, alter?: (slice: RepetitionJob, r: RepetitionResult) => RepetitionResult): RepetitionRunner {
  const next = rng(seed);
  return (jobs) =>
    runJobsSliced(
      jobs,
      (slice) =>
        new Promise((resolve) =>
          setTimeout(() => {
            const r = runRepetitionJob(slice);
            resolve(alter ? alter(slice, r) : r);
          }, Math.floor(next() * 3)),
        ),
      randomCuts(next),
    );
}

const SEEDS = [1, 7, 42, 2026, 99991];

describe("Π^mod and Π^prm repetitions in slices", () => {
  const p = prime(0);
  const q = prime(1);
  const N = p * q;
  const plan = planModProof(ss, profile, p, q);
  const whole: ModProof = { w: plan.w, items: proveModItems(p, q, plan.w, plan.ys) };
  const wholeWire = JSON.stringify(encodeModProof(whole, N));
  const rp = verifierAux;
  const pub = publicRingPedersen(rp);
  const a = prmNonces(rp, profile.m);
  const prmWhole = finishPrm(ss, profile, rp, a, prmCommitments(rp, a));
  const prmWire = JSON.stringify(encodePrmProof(prmWhole, rp.N));

  it("the proof computed in one piece verifies", () => {
    expect(whole.items).toHaveLength(profile.m);
    verifyMod(ss, profile, N, whole);
    verifyPrm(ss, profile, pub, prmWhole);
  });

  it.each(SEEDS)("Π^mod: random slices (seed %i) give the same bytes as one piece", async (seed) => {
    const [r] = await slicingRunner(seed)([{ kind: "mod.prove", p, q, w: plan.w, ys: plan.ys }]);
    expect(r?.kind).toBe("mod.items");
    const sliced: ModProof = { w: plan.w, items: r?.kind === "mod.items" ? r.items : [] };
    expect(JSON.stringify(encodeModProof(sliced, N))).toBe(wholeWire);
  });

  it.each(SEEDS)("Π^prm: random slices (seed %i) give the same bytes as one piece", async (seed) => {
    const [r] = await slicingRunner(seed)([{ kind: "prm.commit", p: rp.p, q: rp.q, t: rp.t, a }]);
    expect(r?.kind).toBe("prm.commitments");
    const sliced = finishPrm(ss, profile, rp, a, r?.kind === "prm.commitments" ? r.A : []);
    expect(JSON.stringify(encodePrmProof(sliced, rp.N))).toBe(prmWire);
  });

  it("even cuts cover every repetition once", () => {
    expect(evenCuts(128, 2)).toEqual([0, 64, 128]);
    expect(evenCuts(128, 3)).toEqual([0, 43, 85, 128]);
    expect(evenCuts(2, 5)).toEqual([0, 1, 2]);
    expect(evenCuts(0, 2)).toEqual([0, 0]);
  });

  it("proofs made as work with a slicing runner verify, in place and sliced", async () => {
    const mod = await runWorkAsync(proveModWork(ss, profile, p, q), slicingRunner(3));
    verifyMod(ss, profile, N, mod);
    await runWorkAsync(verifyModWork(ss, profile, N, mod), slicingRunner(4));
    runWork(verifyModWork(ss, profile, N, mod));
    const prm = await runWorkAsync(provePrmWork(ss, profile, rp), slicingRunner(5));
    verifyPrm(ss, profile, pub, prm);
    await runWorkAsync(verifyPrmWork(ss, profile, pub, prm), slicingRunner(6));
  });

  const modWithItem = (k: number, patch: Partial<ModProof["items"][number]>): ModProof => ({
    ...whole,
    items: whole.items.map((it, i) => (i === k ? { ...it, ...patch } : it)),
  });
  /** The check a work is rejected with, computed with a random slicing runner and in one piece. */
  const checks = async (work: () => Work<void>, seed: number): Promise<[string, string]> => {
    const checkOf = async (run: () => unknown): Promise<string> => {
      try {
        await run();
      } catch (e) {
        if (e instanceof ProofError) return e.check;
        throw e;
      }
      return "none";
    };
    return [await checkOf(() => runWorkAsync(work(), slicingRunner(seed))), await checkOf(() => runWork(work()))];
  };

  it.each(SEEDS)("a tampered repetition is rejected by the sliced verifier with the check of the one-piece verifier (seed %i)", async (seed) => {
    const next = rng(seed);
    const k = Math.floor(next() * profile.m);
    const x = (whole.items[k]!.x * 2n) % N;
    expect(await checks(() => verifyModWork(ss, profile, N, modWithItem(k, { x })), seed)).toEqual(["x_eq", "x_eq"]);
    // Two faults in different repetitions: the first one in order is reported (z_eq at k2 < k).
    const k2 = Math.floor(next() * k);
    const twice: ModProof = { ...whole, items: modWithItem(k, { x }).items.map((it, i) => (i === k2 && k2 < k ? { ...it, z: (it.z * 2n) % N } : it)) };
    const first = k2 < k ? "z_eq" : "x_eq";
    expect(await checks(() => verifyModWork(ss, profile, N, twice), seed + 1)).toEqual([first, first]);
    const A = [...prmWhole.A];
    A[k] = (A[k]! * pub.t) % pub.N;
    const badPrm: PrmProof = { ...prmWhole, A };
    expectCheck(() => verifyPrm(ss, profile, pub, badPrm), "equation");
    expect(await checks(() => verifyPrmWork(ss, profile, pub, badPrm), seed)).toEqual(["equation", "equation"]);
  });

  it("a tampered slice of the prover's responses is rejected by the verifier", async () => {
    // The slice holding repetition 100 returns a wrong x for it.
    const tamper = (slice: RepetitionJob, r: RepetitionResult): RepetitionResult => {
      if (slice.kind !== "mod.prove" || r.kind !== "mod.items") return r;
      const at = slice.ys.indexOf(plan.ys[100]!);
      return at < 0 ? r : { kind: "mod.items", items: r.items.map((it, i) => (i === at ? { ...it, x: (it.x * 3n) % N } : it)) };
    };
    const [r] = await slicingRunner(11, tamper)([{ kind: "mod.prove", p, q, w: plan.w, ys: plan.ys }]);
    const forged: ModProof = { w: plan.w, items: r?.kind === "mod.items" ? r.items : [] };
    expect(JSON.stringify(encodeModProof(forged, N))).not.toBe(wholeWire);
    expectCheck(() => verifyMod(ss, profile, N, forged), "x_eq");
  });

  it("side-by-side works keep each failure and merge their batches", () => {
    const bad = modWithItem(5, { z: (whole.items[5]!.z * 2n) % N });
    const batches: number[] = [];
    const work = allWork([verifyModWork(ss, profile, N, whole), verifyModWork(ss, profile, N, bad), verifyPrmWork(ss, profile, pub, prmWhole)]);
    let step = work.next([]);
    while (!step.done) {
      batches.push(step.value.length);
      step = work.next(step.value.map(runRepetitionJob));
    }
    expect(batches).toEqual([3]);
    const [o0, o1, o2] = step.value;
    expect(o0?.ok).toBe(true);
    expect(o2?.ok).toBe(true);
    expect(o1?.ok).toBe(false);
    expectCheck(() => {
      if (o1 && !o1.ok) throw o1.error;
    }, "z_eq");
  });
});
