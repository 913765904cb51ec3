/**
 * Web Worker entry: computes slices of Π^mod/Π^prm repetitions for a keygen worker's pool
 * (repetition-pool.ts). Holds nothing between jobs; the pool terminates it after the aux run.
 */
import { ensureBackendSelected } from "../bigint";
import { runRepetitionJob } from "../proofs/repetitions";
import { workerScope, type RepetitionWorkerRequest, type RepetitionWorkerResponse } from "./messages";
import { errorMessage } from "./session";

// Measure once per worker and use the faster big-integer backend (WASM where SIMD is available).
ensureBackendSelected();
const scope = workerScope();
const post = (m: RepetitionWorkerResponse) => scope.postMessage(m);

scope.onmessage = (event: MessageEvent) => {
  const req = event.data as RepetitionWorkerRequest;
  if (req?.type !== "job" || !Number.isSafeInteger(req.id)) {
    post({ type: "error", id: -1, message: "expected { type: 'job', id, job }" });
    return;
  }
  try {
    post({ type: "result", id: req.id, result: runRepetitionJob(req.job) });
  } catch (e) {
    post({ type: "error", id: req.id, message: errorMessage(e) });
  }
};
