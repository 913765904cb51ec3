/**
 * What a safe-prime lane (safe-prime-search.mjs) runs with engine "wasm": the isomorphic generator
 * (primes.ts, its deep sieve and the wasm Montgomery kernels) on the wasm backend, chosen without
 * the start-up measurement — this process does nothing else. One module, so the backend switch and
 * the generator share one copy of lib/mpc/bigint.
 */
import { setBackend, wasmBackend } from "./bigint";
import { generateSafePrime } from "./primes";

/**
 * Endless safe primes of `bits` bits, each handed to `send` until it returns false; resolves false
 * at once when wasm is unavailable here, else calls `started` first.
 */
export async function searchWithWasm(bits: number, send: (hex: string) => boolean, started: () => void): Promise<boolean> {
  if (!wasmBackend.isAvailable()) return false;
  setBackend("wasm");
  started();
  for (;;) {
    const p = await generateSafePrime(bits);
    if (!send(p.toString(16))) return true;
  }
}
