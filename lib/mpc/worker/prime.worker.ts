/** Web Worker entry: generates one safe prime with progress events (spawned by keygen.worker). */
import { ensureBackendSelected } from "../bigint";
import { generateSafePrime } from "../primes";
import { workerScope, type PrimeWorkerRequest, type PrimeWorkerResponse } from "./messages";

// Measure once per worker and use the faster big-integer backend (WASM where SIMD is available).
ensureBackendSelected();
const scope = workerScope();
const post = (m: PrimeWorkerResponse) => scope.postMessage(m);

scope.onmessage = (event: MessageEvent) => {
  const req = event.data as PrimeWorkerRequest;
  if (req?.type !== "prime" || !Number.isSafeInteger(req.bits)) {
    post({ type: "error", message: "expected { type: 'prime', bits }" });
    return;
  }
  generateSafePrime(req.bits, { onProgress: (p) => post({ type: "progress", candidates: p.candidates, tested: p.tested }) })
    .then((p) => post({ type: "prime", prime: p.toString(16) }))
    .catch((e: unknown) => post({ type: "error", message: e instanceof Error ? e.message : String(e) }));
};
