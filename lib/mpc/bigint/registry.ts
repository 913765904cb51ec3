import type { BackendName, BigIntBackend } from "./backend";
import { bigintBackend } from "./bigint-backend";
import { BackendUnavailableError, InvalidArgumentError } from "./errors";
import { opensslBackend } from "./openssl-backend";
import { wasmBackend } from "./wasm-backend";

export interface BackendMeasurement {
  readonly backend: BackendName;
  /** Best of the timed runs, in milliseconds, for one modexp of this modulus size with a 3072-bit exponent. */
  readonly ms: number;
  /** 3072 (mod N: every backend) or 6144 (mod N²: openssl against the 3072-bit winner, Node only). */
  readonly modulusBits: number;
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
/** setBackend was called in this copy of the module: an explicit choice is never overridden. */
let explicit = false;

/**
 * The selection is process-wide (per worker, in browsers): kept on globalThis, because a bundler may
 * load this module more than once in one process — Next bundles instrumentation.ts (which selects
 * at start-up) apart from the route handlers, and every tsImport loads its own copy. Without this
 * the other copies would compute on the BigInt default.
 */
const shared = globalThis as unknown as { __countersignBackendSelection?: BackendSelection };

/** Takes the selection another copy of this module made in this process, if any. */
function adoptShared(): void {
  const s = shared.__countersignBackendSelection;
  if (s === undefined) return;
  const b = backends[s.chosen];
  if (b.isAvailable()) active = b;
  lastSelection = s;
}

export function getBackend(): BigIntBackend {
  if (lastSelection === null && !explicit) adoptShared();
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
  explicit = true;
  return b;
}

/** A worker thread adopting its parent's choice: switches to `name` unless it is active already. */
export function adoptBackend(name: BackendName): BigIntBackend {
  return active.name === name ? active : setBackend(name);
}

/** The decision recorded by the last selectFastestBackend() call, or null. */
export function getBackendSelection(): BackendSelection | null {
  if (lastSelection === null && !explicit) adoptShared();
  return lastSelection;
}

const BENCH_BITS = 3072;

type BenchOperands = { base: bigint; exp: bigint; m: bigint };

/** Deterministic odd operands (a modulus of `bits` bits, a base, a 3072-bit exponent), the same everywhere. */
function benchOperands(bits: number): BenchOperands {
  let x = 0x9e3779b97f4a7c15n;
  const next = (size: number): bigint => {
    let acc = 0n;
    for (let i = 0; i < size / 64; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      acc = (acc << 64n) | x;
    }
    return acc;
  };
  const m = next(bits) | (1n << BigInt(bits - 1)) | 1n;
  return { base: next(bits) % m, exp: next(BENCH_BITS) | (1n << BigInt(BENCH_BITS - 1)), m };
}

/** Best of `runs` timed modexps after a check against BigInt's answer, or why the backend is skipped. */
function timeBackend(b: BigIntBackend, { base, exp, m }: BenchOperands, runs: number, reference: bigint): { ms: number } | { reason: string } {
  // The reference run doubles as BigInt's warm-up; others warm up on the agreement check.
  if (b !== bigintBackend) {
    let result: bigint;
    try {
      result = b.modPow(base, exp, m);
    } catch (e) {
      return { reason: `threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (result !== reference) return { reason: "result disagreed with the BigInt reference" };
  }
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    b.modPow(base, exp, m);
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best };
}

/**
 * Times bigint and wasm on a 3072-bit modexp (after one warm-up run) and keeps the faster; where
 * the openssl backend is available (Node), it then competes with that winner on a 6144-bit modulus,
 * the only size it takes itself (it hands smaller moduli to wasm). Activates the fastest and
 * records the decision. Backends must agree with BigInt or are skipped.
 */
export function selectFastestBackend(runs = 3): BackendSelection {
  const measurements: BackendMeasurement[] = [];
  const skipped: { backend: BackendName; reason: string }[] = [];
  const contenders = (bits: number, list: readonly BigIntBackend[]): BackendMeasurement | null => {
    const operands = benchOperands(bits);
    const reference = bigintBackend.modPow(operands.base, operands.exp, operands.m);
    let best: BackendMeasurement | null = null;
    for (const b of list) {
      const r = timeBackend(b, operands, runs, reference);
      if ("reason" in r) {
        skipped.push({ backend: b.name, reason: r.reason });
        continue;
      }
      const entry = { backend: b.name, ms: r.ms, modulusBits: bits };
      measurements.push(entry);
      if (best === null || entry.ms < best.ms) best = entry;
    }
    return best;
  };
  const available = listBackends().filter((b) => {
    if (b.isAvailable()) return true;
    skipped.push({ backend: b.name, reason: "not available on this platform" });
    return false;
  });
  const general = available.filter((b) => b !== opensslBackend);
  let chosen: BackendName = contenders(BENCH_BITS, general)?.backend ?? "bigint";
  if (available.includes(opensslBackend) && chosen !== "bigint") {
    chosen = contenders(2 * BENCH_BITS, [backends[chosen], opensslBackend])?.backend ?? chosen;
  }
  active = backends[chosen];
  lastSelection = { chosen, measurements, skipped };
  shared.__countersignBackendSelection = lastSelection;
  return lastSelection;
}

/**
 * Runs selectFastestBackend() once per process/worker (any copy of this module); later calls return
 * the recorded choice.
 */
export function ensureBackendSelected(): BackendSelection {
  if (lastSelection === null && !explicit) adoptShared();
  return lastSelection ?? selectFastestBackend();
}
