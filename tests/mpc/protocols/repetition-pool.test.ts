import { describe, expect, it } from "vitest";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { FAST_TEST } from "@/lib/mpc/params";
import { verifyMod } from "@/lib/mpc/proofs/mod";
import { proveModWork, runWorkAsync, verifyModWork } from "@/lib/mpc/proofs/repetitions";
import { T, type SharedState } from "@/lib/mpc/transcript";
import { RepetitionPool } from "@/lib/mpc/worker/repetition-pool";
import { InProcessRepetitionWorker, type Misbehaviour } from "./repetition-workers";

const [p, q] = fixtureSafePrimes(1024);
const N = p! * q!;
const ss: SharedState = { sid: new Uint8Array(32).fill(9), prover: 1, verifier: null, label: "pool", context: [["n", T.int(1)]] };

function pool(misbehaviour: Misbehaviour[] = ["none", "none"]) {
  const workers: InProcessRepetitionWorker[] = [];
  const made = [...misbehaviour];
  const repetitions = new RepetitionPool({
    size: misbehaviour.length,
    makeWorker: () => {
      const w = new InProcessRepetitionWorker(made.shift() ?? "none");
      workers.push(w);
      return w;
    },
  });
  return { repetitions, workers };
}

describe("repetition worker pool", () => {
  it("spreads a proof's repetitions over its workers, and close() terminates them", async () => {
    const { repetitions, workers } = pool();
    const proof = await runWorkAsync(proveModWork(ss, FAST_TEST, p!, q!), repetitions.run);
    verifyMod(ss, FAST_TEST, N, proof);
    await runWorkAsync(verifyModWork(ss, FAST_TEST, N, proof), repetitions.run);
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.jobs)).toEqual([2, 2]);
    expect(repetitions.fellBack).toBe(false);
    expect(workers.some((w) => w.terminated)).toBe(false);
    repetitions.close();
    expect(workers.every((w) => w.terminated)).toBe(true);
    // A closed pool still answers, in place.
    await runWorkAsync(verifyModWork(ss, FAST_TEST, N, proof), repetitions.run);
    expect(workers).toHaveLength(2);
  });

  it.each<[string, Misbehaviour[]]>([
    ["a worker that cannot start", ["none", "cannot-start"]],
    ["a worker that answers with an error", ["answers-error", "none"]],
  ])("falls back to computing in place after %s", async (_name, misbehaviour) => {
    const { repetitions, workers } = pool(misbehaviour);
    const proof = await runWorkAsync(proveModWork(ss, FAST_TEST, p!, q!), repetitions.run);
    verifyMod(ss, FAST_TEST, N, proof);
    expect(repetitions.fellBack).toBe(true);
    expect(workers.every((w) => w.terminated)).toBe(true);
    // Later batches do not start workers again.
    await runWorkAsync(verifyModWork(ss, FAST_TEST, N, proof), repetitions.run);
    expect(workers).toHaveLength(2);
  });
});
