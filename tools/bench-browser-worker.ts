/**
 * Bench worker for `npm run bench:browser` (bundled by tools/bench-browser.ts): modular
 * exponentiation on the backend a worker selects (WASM compiles synchronously only off the main
 * thread), timed inside Chromium.
 */
import { ensureBackendSelected, modPow, randomBits } from "@/lib/mpc/bigint";
import { workerScope } from "@/lib/mpc/worker/messages";

const scope = workerScope();

scope.onmessage = (event: MessageEvent) => {
  const { runs, bits } = event.data as { runs: number; bits: number };
  try {
    const backend = ensureBackendSelected();
    const m = randomBits(bits) | (1n << BigInt(bits - 1)) | 1n;
    const ms: number[] = [];
    modPow(randomBits(bits) % m, randomBits(bits), m); // warm-up
    for (let k = 0; k < runs; k++) {
      const base = randomBits(bits) % m;
      const exp = randomBits(bits) | (1n << BigInt(bits - 1));
      const t = performance.now();
      modPow(base, exp, m);
      ms.push(performance.now() - t);
    }
    scope.postMessage({ ok: true, backend: backend.chosen, ms });
  } catch (e) {
    scope.postMessage({ ok: false, message: (e as Error).message });
  }
};
