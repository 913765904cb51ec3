/**
 * The m repetitions of Π^mod and Π^prm (spec §4.4, §4.5) as jobs that can be cut into ranges.
 *
 * The Fiat–Shamir part stays with the caller: Π^mod's w and challenges y_k are derived first, and
 * Π^prm's challenge bits once every A_k is known. What is left per repetition (x_k, z_k for Π^mod;
 * A_k = t^a_k for Π^prm; each verifier equation) depends on that repetition only, so a job cut into
 * ranges, computed anywhere (another Web Worker) and joined in order gives the same bytes, and a
 * rejection names the same check as the job computed in one piece.
 *
 * Protocols describe this work as generators (`Work`) that yield batches of jobs and receive their
 * results: `runWork` computes them in place (the default: Node, tests), `runWorkAsync` hands each
 * batch to a runner such as worker/repetition-pool.ts. Jobs carry bigints and plain objects only
 * (structured-clonable); the prover jobs carry secrets (primes, nonces), which a runner keeps in memory.
 */
import { ProofError } from "../errors";
import type { SecurityProfile } from "../params";
import type { RingPedersenParams, RingPedersenSecret } from "../ring-pedersen";
import type { SharedState } from "../transcript";
import { planModProof, proveModItems, verifyModHead, verifyModItems, type ModItem, type ModProof } from "./mod";
import { finishPrm, prmCommitments, prmNonces, verifyPrmHead, verifyPrmItems, type PrmProof } from "./prm";

export type RepetitionJob =
  | { readonly kind: "mod.prove"; readonly p: bigint; readonly q: bigint; readonly w: bigint; readonly ys: readonly bigint[] }
  | { readonly kind: "mod.verify"; readonly N: bigint; readonly w: bigint; readonly items: readonly ModItem[]; readonly ys: readonly bigint[] }
  | { readonly kind: "prm.commit"; readonly p: bigint; readonly q: bigint; readonly t: bigint; readonly a: readonly bigint[] }
  | {
      readonly kind: "prm.verify";
      readonly profile: SecurityProfile;
      readonly st: RingPedersenParams;
      readonly A: readonly bigint[];
      readonly z: readonly bigint[];
      readonly e: readonly (0 | 1)[];
    };

export type RepetitionResult =
  | { readonly kind: "mod.items"; readonly items: readonly ModItem[] }
  | { readonly kind: "prm.commitments"; readonly A: readonly bigint[] }
  | { readonly kind: "verified" }
  | { readonly kind: "rejected"; readonly proof: string; readonly check: string };

function verified(fn: () => void): RepetitionResult {
  try {
    fn();
    return { kind: "verified" };
  } catch (err) {
    if (err instanceof ProofError) return { kind: "rejected", proof: err.proof, check: err.check };
    throw err;
  }
}

/** Computes one job (or one slice of a job). */
export function runRepetitionJob(job: RepetitionJob): RepetitionResult {
  switch (job.kind) {
    case "mod.prove":
      return { kind: "mod.items", items: proveModItems(job.p, job.q, job.w, job.ys) };
    case "mod.verify":
      return verified(() => verifyModItems(job.N, job.w, job.items, job.ys));
    case "prm.commit":
      return { kind: "prm.commitments", A: prmCommitments(job, job.a) };
    case "prm.verify":
      return verified(() => verifyPrmItems(job.profile, job.st, job.A, job.z, job.e));
  }
}

export function repetitionCount(job: RepetitionJob): number {
  switch (job.kind) {
    case "mod.prove":
      return job.ys.length;
    case "mod.verify":
      return job.items.length;
    case "prm.commit":
      return job.a.length;
    case "prm.verify":
      return job.A.length;
  }
}

/** Repetitions [from, to) of a job. */
export function sliceJob(job: RepetitionJob, from: number, to: number): RepetitionJob {
  switch (job.kind) {
    case "mod.prove":
      return { ...job, ys: job.ys.slice(from, to) };
    case "mod.verify":
      return { ...job, items: job.items.slice(from, to), ys: job.ys.slice(from, to) };
    case "prm.commit":
      return { ...job, a: job.a.slice(from, to) };
    case "prm.verify":
      return { ...job, A: job.A.slice(from, to), z: job.z.slice(from, to), e: job.e.slice(from, to) };
  }
}

/** Results of consecutive slices, in order, as the result of the whole job. */
export function joinSlices(job: RepetitionJob, slices: readonly RepetitionResult[]): RepetitionResult {
  const malformed = () => new Error(`a slice of ${job.kind} returned a malformed result`);
  const count = repetitionCount(job);
  switch (job.kind) {
    case "mod.prove": {
      if (slices.some((r) => r.kind !== "mod.items")) throw malformed();
      const items = slices.flatMap((r) => (r.kind === "mod.items" ? r.items : []));
      if (items.length !== count) throw malformed();
      return { kind: "mod.items", items };
    }
    case "prm.commit": {
      if (slices.some((r) => r.kind !== "prm.commitments")) throw malformed();
      const A = slices.flatMap((r) => (r.kind === "prm.commitments" ? r.A : []));
      if (A.length !== count) throw malformed();
      return { kind: "prm.commitments", A };
    }
    case "mod.verify":
    case "prm.verify": {
      if (slices.length === 0 && count > 0) throw malformed();
      if (slices.some((r) => r.kind !== "verified" && r.kind !== "rejected")) throw malformed();
      // The first failing repetition in order, as the verifier computed in one piece would report.
      return slices.find((r) => r.kind === "rejected") ?? { kind: "verified" };
    }
  }
}

/** Cut points of `count` repetitions into `parts` nearly equal ranges: [0, …, count]. */
export function evenCuts(count: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, count));
  return Array.from({ length: n + 1 }, (_, i) => Math.round((i * count) / n));
}

/**
 * Every job cut into ranges (`cuts(count)` gives the boundaries, first 0 and last count), the slices
 * computed by `runSlice` concurrently, and the results joined per job in order.
 */
export async function runJobsSliced(
  jobs: readonly RepetitionJob[],
  runSlice: (slice: RepetitionJob) => Promise<RepetitionResult>,
  cuts: (count: number) => readonly number[],
): Promise<RepetitionResult[]> {
  return Promise.all(
    jobs.map(async (job) => {
      const count = repetitionCount(job);
      const at = cuts(count);
      if (at[0] !== 0 || at[at.length - 1] !== count || at.some((c, i) => i > 0 && c < at[i - 1]!)) {
        throw new RangeError(`bad cut points for ${count} repetitions`);
      }
      const ranges = at.slice(1).map((to, i) => [at[i]!, to] as const).filter(([from, to]) => to > from);
      const slices = await Promise.all(ranges.map(([from, to]) => runSlice(sliceJob(job, from, to))));
      return joinSlices(job, slices);
    }),
  );
}

// ---- work descriptions --------------------------------------------------------------------------

/** A computation that yields batches of independent jobs and receives their results in order. */
export type Work<T> = Generator<readonly RepetitionJob[], T, readonly RepetitionResult[]>;

/** Computes a batch somewhere (e.g. a pool of Web Workers); results in the order of the jobs. */
export type RepetitionRunner = (jobs: readonly RepetitionJob[]) => Promise<readonly RepetitionResult[]>;

/** Runs a work in place, one job after the other. */
export function runWork<T>(work: Work<T>): T {
  let r = work.next([]);
  while (!r.done) r = work.next(r.value.map(runRepetitionJob));
  return r.value;
}

/** Runs a work with each batch handed to `runner`. */
export async function runWorkAsync<T>(work: Work<T>, runner: RepetitionRunner): Promise<T> {
  let r = work.next([]);
  while (!r.done) {
    const results = await runner(r.value);
    if (results.length !== r.value.length) throw new Error("the repetition runner returned a result per job");
    r = work.next(results);
  }
  return r.value;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Several works side by side (e.g. one per peer): their batches are merged into one, so independent
 * proofs go to the runner together. Each work's failure is kept in its outcome, not thrown.
 */
export function* allWork<T>(works: readonly Work<T>[]): Work<Outcome<T>[]> {
  const outcomes: (Outcome<T> | undefined)[] = works.map(() => undefined);
  const waiting: (readonly RepetitionJob[] | undefined)[] = works.map(() => undefined);
  const resume = (i: number, input: readonly RepetitionResult[]) => {
    try {
      const r = works[i]!.next(input);
      if (r.done) outcomes[i] = { ok: true, value: r.value };
      else waiting[i] = r.value;
    } catch (error) {
      outcomes[i] = { ok: false, error };
    }
  };
  works.forEach((_, i) => resume(i, []));
  for (;;) {
    const live = works.map((_, i) => i).filter((i) => waiting[i] !== undefined);
    if (live.length === 0) return outcomes as Outcome<T>[];
    const batch = live.flatMap((i) => waiting[i]!);
    const results = batch.length > 0 ? yield batch : [];
    let at = 0;
    for (const i of live) {
      const n = waiting[i]!.length;
      waiting[i] = undefined;
      resume(i, results.slice(at, at + n));
      at += n;
    }
  }
}

function throwIfRejected(r: RepetitionResult | undefined): void {
  if (r?.kind === "rejected") throw new ProofError(r.proof, r.check);
  if (r?.kind !== "verified") throw new Error("expected a verification result");
}

/** proveMod as work: the plan here, the m responses as one job. */
export function* proveModWork(ss: SharedState, profile: SecurityProfile, p: bigint, q: bigint): Work<ModProof> {
  const plan = planModProof(ss, profile, p, q);
  const [r] = yield [{ kind: "mod.prove", p, q, w: plan.w, ys: plan.ys }];
  if (r?.kind !== "mod.items" || r.items.length !== profile.m) throw new Error("expected the Π^mod responses");
  return { w: plan.w, items: r.items };
}

/** verifyMod as work: the checks before the repetitions here, the m equations as one job. */
export function* verifyModWork(ss: SharedState, profile: SecurityProfile, N: bigint, proof: ModProof): Work<void> {
  const ys = verifyModHead(ss, profile, N, proof);
  const [r] = yield [{ kind: "mod.verify", N, w: proof.w, items: proof.items, ys }];
  throwIfRejected(r);
}

/** provePrm as work: the nonces and the responses here, the m commitments as one job. */
export function* provePrmWork(ss: SharedState, profile: SecurityProfile, secret: RingPedersenSecret): Work<PrmProof> {
  const a = prmNonces(secret, profile.m);
  const [r] = yield [{ kind: "prm.commit", p: secret.p, q: secret.q, t: secret.t, a }];
  if (r?.kind !== "prm.commitments") throw new Error("expected the Π^prm commitments");
  return finishPrm(ss, profile, secret, a, r.A);
}

/** verifyPrm as work: the checks before the repetitions here, the m equations as one job. */
export function* verifyPrmWork(ss: SharedState, profile: SecurityProfile, st: RingPedersenParams, proof: PrmProof): Work<void> {
  const e = verifyPrmHead(ss, profile, st, proof);
  const [r] = yield [{ kind: "prm.verify", profile, st: { N: st.N, s: st.s, t: st.t }, A: proof.A, z: proof.z, e }];
  throwIfRejected(r);
}
