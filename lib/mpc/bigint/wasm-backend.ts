import type { BigIntBackend } from "./backend";
import { bitLength } from "./basic";
import { bigintBackend, bigintFixedBasePowers, multiExpSecretBigInt } from "./bigint-backend";
import { BackendUnavailableError } from "./errors";
import { bigintFixedBaseProduct, bigintFixedBaseProductSecret } from "./fixed-base-bigint";
import { loadWasmKernels, wasmLoadError, type WasmKernels } from "./wasm-kernels";

export { initWasmBackend, wasmLoadError } from "./wasm-kernels";

/** Moduli below this size are faster in plain BigInt (call overhead dominates). */
const MIN_WASM_MODULUS_BITS = 128;

function requireKernels(): WasmKernels {
  const k = loadWasmKernels();
  if (k === null) throw new BackendUnavailableError(`wasm backend unavailable: ${wasmLoadError() ?? "unknown"}`);
  return k;
}

function useWasm(m: bigint): boolean {
  return (m & 1n) === 1n && bitLength(m) >= MIN_WASM_MODULUS_BITS;
}

/**
 * WebAssembly Montgomery backend (wasm/assembly/kernels.ts). Even or small moduli are delegated
 * to the BigInt backend because Montgomery reduction needs an odd modulus.
 */
export const wasmBackend: BigIntBackend = {
  name: "wasm",
  isAvailable: () => loadWasmKernels() !== null,
  modPow: (base, exp, m) =>
    useWasm(m) ? requireKernels().multiExp([base], [exp], m) : bigintBackend.modPow(base, exp, m),
  multiExp: (bases, exps, m) =>
    useWasm(m) ? requireKernels().multiExp(bases, exps, m) : bigintBackend.multiExp(bases, exps, m),
  multiExpSecret: (bases, exps, m, expBits) =>
    useWasm(m) ? requireKernels().multiExpSecret(bases, exps, m, expBits) : multiExpSecretBigInt(bases, exps, m, expBits),
  fixedBasePowers: (g, m, count, windowBits) =>
    useWasm(m)
      ? requireKernels().fixedBasePowers(g, m, count, windowBits)
      : bigintFixedBasePowers(g, m, count, windowBits),
  fixedBaseProduct: (tables, digits) => {
    const m = tables[0]?.m ?? 0n;
    return useWasm(m) ? requireKernels().fixedBaseProduct(tables, digits) : bigintFixedBaseProduct(tables, digits, m);
  },
  fixedBaseProductSecret: (tables, digits) => {
    const m = tables[0]?.m ?? 0n;
    return useWasm(m) ? requireKernels().fixedBaseProductSecret(tables, digits) : bigintFixedBaseProductSecret(tables, digits, m);
  },
};
