/**
 * Big-integer layer for lib/mpc (CGGMP24). Isomorphic: Node, browsers and Web Workers.
 * All randomness comes from crypto.getRandomValues. modPow / multiExp delegate to the active
 * backend: BigInt until ensureBackendSelected() / selectFastestBackend() times the WebAssembly
 * kernels against it (call once at start-up in each process or worker). On a browser main thread
 * that forbids synchronous compilation, await initWasmBackend() first.
 */
export {
  BackendUnavailableError,
  BigIntArithmeticError,
  InvalidArgumentError,
  InvalidModulusError,
  NotInvertibleError,
} from "./errors";
export { abs, bitLength, gcd, lcm, mod, modAdd, modInv, modMul, modSub, unitsModulo } from "./basic";
export { fromBytesBE, fromHex, toBytesBE, toHex } from "./bytes";
export { randomBelow, randomBits, randomBytes, randomInRange, randomSymmetric, randomUnit } from "./random";
export { modPow, modPowPublic, modPowSecret, multiExp, multiExpSecret, multiExpSecretModulus } from "./pow";
export {
  createFixedBaseTable,
  defaultFixedBaseWindow,
  fixedBaseMultiPow,
  fixedBaseMultiPowSecret,
  fixedBasePow,
  type FixedBaseTable,
} from "./fixed-base";
export {
  createCrtContext,
  crtCombine,
  crtMultiExpWith,
  crtPow,
  crtPowWith,
  type CrtContext,
  type CrtContextOptions,
  type CrtPowInput,
} from "./crt";
export { DEEP_SAFE_SIEVE, isProbablePrime, SHALLOW_SAFE_SIEVE, safeSieveFor, safeSievePrimes, sievePrimesBelow, sieveSafe, sieveSafeJs, SMALL_PRIMES, type SafeSieve } from "./prime";
export type { BackendName, BigIntBackend } from "./backend";
export { bigintBackend } from "./bigint-backend";
export { initWasmBackend, wasmBackend, wasmLoadError } from "./wasm-backend";
export { opensslBackend } from "./openssl-backend";
export {
  adoptBackend,
  ensureBackendSelected,
  getBackend,
  getBackendByName,
  getBackendSelection,
  listBackends,
  selectFastestBackend,
  setBackend,
  type BackendMeasurement,
  type BackendSelection,
} from "./registry";
