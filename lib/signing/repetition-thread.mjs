/**
 * A repetition worker thread (started by lib/signing/repetition-threads.ts): computes slices of the
 * server party's Π^mod/Π^prm repetitions, off the thread that serves requests. Plain JavaScript,
 * loaded by path from the source tree like nonce-worker-thread.mjs, so it runs the same under
 * `npm start` and under vitest; it loads the TypeScript computation through tsx.
 *
 * Protocol: workerData { backend }; the repetition worker's messages (lib/mpc/worker/messages.ts):
 * { type: "job", id, job } answered { type: "result", id, result, backend } (the backend that
 * computed it) or { type: "error", id, message } (the message only: a prover job's primes never
 * leave in an answer).
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// One import: the backend switch and the repetitions must share one copy of lib/mpc/bigint.
const compute = tsImport("./repetition-thread-compute.ts", import.meta.url).then((m) => {
  m.useBackend(workerData.backend);
  return m;
});

parentPort.on("message", async (req) => {
  try {
    const { computeRepetitionJob } = await compute;
    const { result, backend } = computeRepetitionJob(req.job);
    parentPort.postMessage({ type: "result", id: req.id, result, backend });
  } catch (err) {
    parentPort.postMessage({ type: "error", id: req?.id ?? -1, message: err instanceof Error ? err.message : String(err) });
  }
});
