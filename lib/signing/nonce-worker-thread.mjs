/**
 * The nonce worker thread (started by lib/signing/nonce-worker.ts): computes Paillier nonces one job
 * at a time, off the thread that serves requests. Plain JavaScript, loaded by path from the source
 * tree, so it runs the same under `npm start` (whose bundles never include it) and under vitest; it
 * loads the TypeScript computation through tsx (a dependency: `npm start` runs on it too).
 *
 * Protocol: workerData { backend }; each message { id, job } is answered { id, result } or
 * { id, error } (the error's message only: a job's primes never leave in an answer).
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const compute = tsImport("./nonce-worker-compute.ts", import.meta.url).then((m) => {
  m.useBackend(workerData.backend);
  return m;
});

parentPort.on("message", async ({ id, job }) => {
  try {
    const m = await compute;
    parentPort.postMessage({ id, result: m.computeNonceJob(job) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
