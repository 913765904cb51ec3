/**
 * A repetition worker thread (started by lib/signing/repetition-threads.ts): computes slices of the
 * server party's Π^mod/Π^prm repetitions, off the thread that serves requests. Plain JavaScript,
 * loaded by path from the source tree like nonce-worker-thread.mjs, so it runs the same under
 * `npm start` and under vitest; it loads the TypeScript computation through tsx.
 *
 * Protocol: workerData { backend }; the repetition worker's messages (lib/mpc/worker/messages.ts):
 * { type: "job", id, job } answered { type: "result", id, result } or { type: "error", id, message }
 * (the message only: a prover job's primes never leave in an answer).
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const compute = Promise.all([tsImport("../mpc/bigint/index.ts", import.meta.url), tsImport("../mpc/proofs/repetitions.ts", import.meta.url)]).then(([bigint, repetitions]) => {
  if (bigint.getBackend().name !== workerData.backend) bigint.setBackend(workerData.backend);
  return repetitions;
});

parentPort.on("message", async (req) => {
  try {
    const { runRepetitionJob } = await compute;
    parentPort.postMessage({ type: "result", id: req.id, result: runRepetitionJob(req.job) });
  } catch (err) {
    parentPort.postMessage({ type: "error", id: req?.id ?? -1, message: err instanceof Error ? err.message : String(err) });
  }
});
