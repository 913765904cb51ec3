import type { BackendName, BigIntBackend } from "./backend";
import { bigintBackend } from "./bigint-backend";
import { BackendUnavailableError, InvalidArgumentError } from "./errors";
import { opensslBackend } from "./openssl-backend";
import { wasmBackend } from "./wasm-backend";

export interface BackendMeasurement {
  readonly backend: BackendName;
  /** Best of the timed runs, in milliseconds, for one 3072-bit modexp with a 3072-bit exponent. */
  readonly ms: number;
}

export interface BackendSelection {
  readonly chosen: BackendName;
  readonly measurements: readonly BackendMeasurement[];
  /** Why a backend was skipped (e.g. WebAssembly unavailable). */
  readonly skipped: readonly { backend: BackendName; reason: string }[];
}

const backends: Record<BackendName, BigIntBackend> = { bigint: bigintBackend, wasm: wasmBackend, openssl: opensslBackend };

let active: BigIntBackend = bigintBackend;
let lastSelection: BackendSelection | null = null;

export function getBackend(): BigIntBackend {
  return active;
}

export function listBackends(): readonly BigIntBackend[] {
  return Object.values(backends);
}

export function getBackendByName(name: BackendName): BigIntBackend {
  const b = backends[name];
  if (b === undefined) throw new InvalidArgumentError(`unknown backend ${String(name)}`);
  return b;
}

export function setBackend(name: BackendName): BigIntBackend {
  const b = getBackendByName(name);
  if (!b.isAvailable()) throw new BackendUnavailableError(`backend ${name} is not available here`);
  active = b;
  return b;
}

/** The decision recorded by the last selectFastestBackend() call, or null. */
export function getBackendSelection(): BackendSelection | null {
  return lastSelection;
}

const BENCH_BITS = 3072;

/** Deterministic odd 3072-bit operands so every platform measures the same work. */
function benchOperands(): { base: bigint; exp: bigint; m: bigint } {
  let x = 0x9e3779b97f4a7c15n;
  const next = (): bigint => {
    let acc = 0n;
    for (let i = 0; i < BENCH_BITS / 64; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      acc = (acc << 64n) | x;
    }
    return acc;
  };
  const top = 1n << BigInt(BENCH_BITS - 1);
  const m = next() | top | 1n;
  return { base: next() % m, exp: next() | top, m };
}

/**
 * Times each available backend on a 3072-bit modexp (after one warm-up run), activates the
 * fastest and records the decision. Backends must agree on the result or the BigInt one wins.
 */
export function selectFastestBackend(runs = 3): BackendSelection {
  const { base, exp, m } = benchOperands();
  const measurements: BackendMeasurement[] = [];
  const skipped: { backend: BackendName; reason: string }[] = [];
  const reference = bigintBackend.modPow(base, exp, m);
  for (const b of listBackends()) {
    if (!b.isAvailable()) {
      skipped.push({ backend: b.name, reason: "not available on this platform" });
      continue;
    }
    // The reference run doubles as BigInt's warm-up; others warm up on the agreement check.
    if (b !== bigintBackend) {
      let result: bigint;
      try {
        result = b.modPow(base, exp, m);
      } catch (e) {
        skipped.push({ backend: b.name, reason: `threw: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      if (result !== reference) {
        skipped.push({ backend: b.name, reason: "result disagreed with the BigInt reference" });
        continue;
      }
    }
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      b.modPow(base, exp, m);
      best = Math.min(best, performance.now() - t0);
    }
    measurements.push({ backend: b.name, ms: best });
  }
  const fastest = measurements.reduce<BackendMeasurement | null>(
    (acc, cur) => (acc === null || cur.ms < acc.ms ? cur : acc),
    null,
  );
  const chosen: BackendName = fastest?.backend ?? "bigint";
  active = backends[chosen];
  lastSelection = { chosen, measurements, skipped };
  return lastSelection;
}

/** Runs selectFastestBackend() once per process/worker; later calls return the recorded choice. */
export function ensureBackendSelected(): BackendSelection {
  return lastSelection ?? selectFastestBackend();
}
