/**
 * Host side of the WebAssembly Montgomery kernels (wasm/assembly/kernels.ts): loading, slot
 * layout, limb conversion and per-modulus state. Single-threaded by construction: each worker
 * gets its own instance, and no call yields while kernel memory is in use.
 */
import type { FixedBaseTable } from "./fixed-base";
import { bitLength, modInv } from "./basic";
import { BigIntArithmeticError, InvalidArgumentError } from "./errors";
import { limbGeometry, readLimbs, writeLimbs, type LimbGeometry } from "./limbs";
import { KERNELS_WASM_BASE64 } from "./wasm-binary";
import { buildWindowSchedule, fixedWindowBits, oddPowerCount, slidingWindowBits } from "./windows";

/** Operations the kernel performed since the last reset (see traceReset in kernels.ts). */
export interface KernelTrace {
  /** FNV-1a hash of the ordered sequence of products, squarings and table reads. */
  readonly hash: string;
  readonly products: number;
  readonly squarings: number;
  readonly tableReads: number;
}

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly FIRST_FREE_SLOT: WebAssembly.Global;
  heapStart(): number;
  slotPtr(i: number): number;
  configure(n: number, w: number, negInvN0: number, slotCount: number): void;
  loadModulus(): void;
  toMont(slot: number): void;
  fromMont(slot: number): void;
  oddPowers(first: number, count: number): void;
  runSchedule(steps: number, stepCount: number, topBits: number): number;
  squareChain(first: number, count: number, w: number): void;
  ctTables(first: number, bases: number, w: number): void;
  sieveSafe(qPtr: number, words: number, primesPtr: number, primeCount: number, flagsPtr: number, count: number): void;
  ctMultiPow(first: number, bases: number, w: number, expPtr: number, words: number, windows: number): number;
  traceReset(): void;
  traceValue(i: number): number;
  yaoProductSecret(entryFirst: number, entryCount: number, digitsPtr: number, bucketFirst: number, bucketCount: number): number;
  yaoProduct(
    entryFirst: number,
    entryCount: number,
    digitsPtr: number,
    bucketFirst: number,
    bucketCount: number,
    flagsPtr: number,
  ): number;
}

/** Slot layout: PAD zero limbs, then the limbs (must match wasm/assembly/kernels.ts). */
const PAD_LIMBS = 4;

const SLOT_R2 = 4;
const PAGE = 65536;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

interface ModulusState {
  readonly m: bigint;
  readonly geometry: LimbGeometry;
  readonly negInvN0: number;
  readonly r2: bigint;
  zeroedSlots: number;
}

export class WasmKernels {
  private state: ModulusState | null = null;
  private readonly firstFree: number;

  constructor(private readonly k: KernelExports) {
    this.firstFree = Number(k.FIRST_FREE_SLOT.value);
  }

  private view(): Uint32Array {
    return new Uint32Array(this.k.memory.buffer);
  }

  private ensureMemory(bytes: number): void {
    const have = this.k.memory.buffer.byteLength;
    if (bytes > have) this.k.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /**
   * Configures geometry for m (cached), guarantees `slots` zero-padded slots and returns a
   * scratch pointer with `extraBytes` free behind every slot ever zeroed for this modulus, so
   * schedules and digit arrays never overwrite the zero padding of slots a later call relies on.
   */
  private prepare(m: bigint, slots: number, extraBytes: number): { st: ModulusState; scratch: number } {
    let st = this.state;
    if (st === null || st.m !== m) {
      const geometry = limbGeometry(bitLength(m));
      const base = 1n << BigInt(geometry.limbBits);
      const negInvN0 = Number((base - modInv(m % base, base)) % base);
      const r2 = (1n << BigInt(2 * geometry.limbBits * geometry.limbs)) % m;
      st = { m, geometry, negInvN0, r2, zeroedSlots: 0 };
      this.state = st;
    }
    const { limbs, limbBits } = st.geometry;
    const stride = (limbs + PAD_LIMBS) * 4;
    const zeroed = Math.max(slots, st.zeroedSlots);
    this.ensureMemory(this.k.heapStart() + (zeroed + 1) * stride + extraBytes + 64);
    if (st.zeroedSlots < slots) {
      this.k.configure(limbs, limbBits, st.negInvN0, slots);
      writeLimbs(this.view(), this.k.slotPtr(0) >>> 2, m, limbs, limbBits);
      this.k.loadModulus();
      st.zeroedSlots = slots;
    }
    writeLimbs(this.view(), this.k.slotPtr(SLOT_R2) >>> 2, st.r2, limbs, limbBits);
    return { st, scratch: this.k.slotPtr(st.zeroedSlots) };
  }

  multiExp(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
    const windowBits = exps.map((e) => slidingWindowBits(e.toString(2).length));
    const firstSlot: number[] = [];
    let slots = this.firstFree;
    for (let i = 0; i < bases.length; i++) {
      firstSlot.push(slots);
      slots += oddPowerCount(windowBits[i] ?? 1);
    }
    const sched = buildWindowSchedule(exps, windowBits);
    const steps = sched.positions.length;
    if (steps === 0) return 1n % m;
    const { st, scratch: schedPtr } = this.prepare(m, slots, steps * 8);
    const { limbs, limbBits } = st.geometry;
    let view = this.view();
    for (let i = 0; i < bases.length; i++) {
      const first = firstSlot[i] ?? 0;
      // toMont needs a value below m: reduce defensively (already reduced when called via pow.ts).
      writeLimbs(view, this.k.slotPtr(first) >>> 2, (bases[i] ?? 0n) % m, limbs, limbBits);
      this.k.toMont(first);
      this.k.oddPowers(first, oddPowerCount(windowBits[i] ?? 1));
    }
    view = this.view();
    const at = schedPtr >>> 2;
    for (let s = 0; s < steps; s++) {
      const b = sched.bases[s] ?? 0;
      view[at + 2 * s] = sched.positions[s] ?? 0;
      view[at + 2 * s + 1] = (firstSlot[b] ?? 0) + (((sched.digits[s] ?? 1) - 1) >> 1);
    }
    const acc = this.k.runSchedule(schedPtr, steps, sched.topBits);
    return this.readResult(acc, st);
  }

  /**
   * Π bases[i]^exps[i] mod m for secret exponents below 2^expBits: fixed windows, one product per
   * window and base whatever the digit, constant-time table reads (kernels.ts ctMultiPow). The
   * kernel's operation sequence depends only on (bases.length, bit length of m, expBits).
   */
  multiExpSecret(bases: readonly bigint[], exps: readonly bigint[], m: bigint, expBits: number): bigint {
    const w = fixedWindowBits(bitLength(m));
    const size = 1 << w;
    const windows = Math.max(1, Math.ceil(expBits / w));
    const words = Math.ceil((windows * w) / 32);
    const first = this.firstFree;
    const slots = first + bases.length * size;
    const { st, scratch: expPtr } = this.prepare(m, slots, bases.length * (words + 1) * 4);
    const { limbs, limbBits } = st.geometry;
    const view = this.view();
    for (let b = 0; b < bases.length; b++) {
      const slot = first + b * size + 1;
      writeLimbs(view, this.k.slotPtr(slot) >>> 2, (bases[b] ?? 0n) % m, limbs, limbBits);
      this.k.toMont(slot);
      writeLimbs(view, (expPtr >>> 2) + b * (words + 1), exps[b] ?? 0n, words + 1, 32);
    }
    this.k.ctTables(first, bases.length, w);
    const acc = this.k.ctMultiPow(first, bases.length, w, expPtr, words, windows);
    return this.readResult(acc, st);
  }

  /**
   * Safe-prime sieve flags for q = q0 + 2k, k < count: 1 where one of `primes` (odd, all below
   * q0) divides q or 2q + 1. Uses the slot area as scratch, so the modulus state is dropped.
   */
  sieveSafe(q0: bigint, primes: Uint32Array, count: number): Uint8Array {
    this.state = null;
    const words = Math.ceil(bitLength(q0) / 32) + 1;
    const qPtr = this.k.heapStart();
    const primesPtr = qPtr + words * 4;
    const flagsPtr = primesPtr + primes.length * 4;
    this.ensureMemory(flagsPtr + count + 64);
    const view = this.view();
    writeLimbs(view, qPtr >>> 2, q0, words, 32);
    view.set(primes, primesPtr >>> 2);
    this.k.sieveSafe(qPtr, words, primesPtr, primes.length, flagsPtr, count);
    return new Uint8Array(this.k.memory.buffer, flagsPtr, count).slice();
  }

  traceReset(): void {
    this.k.traceReset();
  }

  trace(): KernelTrace {
    const v = (i: number) => this.k.traceValue(i) >>> 0;
    return {
      hash: v(1).toString(16).padStart(8, "0") + v(0).toString(16).padStart(8, "0"),
      products: v(2),
      squarings: v(3),
      tableReads: v(4),
    };
  }

  private readResult(slot: number, st: ModulusState): bigint {
    this.k.fromMont(slot);
    const { limbs, limbBits } = st.geometry;
    const r = readLimbs(this.view(), this.k.slotPtr(slot) >>> 2, limbs, limbBits);
    return r >= st.m ? r - st.m : r;
  }

  /**
   * Montgomery-form table entries laid out slot by slot (padding included), keyed by the table's
   * powers array: built by fixedBasePowers or on first use.
   */
  private readonly montTables = new WeakMap<readonly bigint[], Uint32Array>();

  fixedBasePowers(g: bigint, m: bigint, count: number, windowBits: number): bigint[] {
    const first = this.firstFree;
    const { st } = this.prepare(m, first + count, 0);
    const { limbs, limbBits } = st.geometry;
    const strideWords = limbs + PAD_LIMBS;
    writeLimbs(this.view(), this.k.slotPtr(first) >>> 2, g, limbs, limbBits);
    this.k.toMont(first);
    this.k.squareChain(first, count, windowBits);
    const start = (this.k.slotPtr(first) >>> 2) - PAD_LIMBS;
    const mont = this.view().slice(start, start + count * strideWords);
    const powers: bigint[] = [];
    for (let k = 0; k < count; k++) powers.push(this.readResult(first + k, st));
    this.montTables.set(powers, mont);
    return powers;
  }

  private montTable(table: FixedBaseTable, st: ModulusState, scratchSlot: number): Uint32Array {
    const cached = this.montTables.get(table.powers);
    const { limbs, limbBits } = st.geometry;
    const strideWords = limbs + PAD_LIMBS;
    if (cached !== undefined && cached.length === table.powers.length * strideWords) return cached;
    const out = new Uint32Array(table.powers.length * strideWords);
    const at = this.k.slotPtr(scratchSlot) >>> 2;
    table.powers.forEach((p, k) => {
      writeLimbs(this.view(), at, p, limbs, limbBits);
      this.k.toMont(scratchSlot);
      out.set(this.view().subarray(at, at + limbs), k * strideWords + PAD_LIMBS);
    });
    this.montTables.set(table.powers, out);
    return out;
  }

  fixedBaseProduct(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[]): bigint {
    return this.bucketProduct(tables, digits, false);
  }

  /**
   * The same product for secret digits (a count fixed by a public bound, zeros included):
   * kernels.ts yaoProductSecret, whose operation sequence depends only on the entry and bucket counts.
   */
  fixedBaseProductSecret(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[]): bigint {
    tables.forEach((t, i) => {
      if ((digits[i]?.length ?? Infinity) > t.powers.length) throw new InvalidArgumentError("fixedBaseProductSecret got more digits than table entries");
    });
    return this.bucketProduct(tables, digits, true);
  }

  private bucketProduct(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[], secret: boolean): bigint {
    const first = tables[0];
    if (first === undefined) throw new InvalidArgumentError("fixedBaseProduct needs a table");
    const bucketCount = 1 << first.windowBits;
    const bucketFirst = this.firstFree;
    const entryFirst = bucketFirst + bucketCount;
    const totalEntries = digits.reduce((acc, d) => acc + d.length, 0);
    const slots = entryFirst + totalEntries;
    const { st, scratch: digitsPtr } = this.prepare(first.m, slots, totalEntries * 2 + bucketCount + 16);
    const strideWords = st.geometry.limbs + PAD_LIMBS;
    const monts = tables.map((t) => this.montTable(t, st, entryFirst));
    const view = this.view();
    let slot = entryFirst;
    monts.forEach((mont, i) => {
      const count = digits[i]?.length ?? 0;
      view.set(mont.subarray(0, count * strideWords), (this.k.slotPtr(slot) >>> 2) - PAD_LIMBS);
      slot += count;
    });
    const digitView = new Uint16Array(this.k.memory.buffer, digitsPtr, totalEntries);
    let offset = 0;
    for (const d of digits) {
      digitView.set(d, offset);
      offset += d.length;
    }
    if (secret) return this.readResult(this.k.yaoProductSecret(entryFirst, totalEntries, digitsPtr, bucketFirst, bucketCount), st);
    const flagsPtr = digitsPtr + totalEntries * 2;
    const acc = this.k.yaoProduct(entryFirst, totalEntries, digitsPtr, bucketFirst, bucketCount, flagsPtr);
    return acc < 0 ? 1n % first.m : this.readResult(acc, st);
  }

}

let kernels: WasmKernels | null = null;
let loadError: string | null = null;

function instantiate(module: WebAssembly.Module): WasmKernels {
  const abort = (): never => {
    throw new BigIntArithmeticError("wasm kernel aborted");
  };
  const instance = new WebAssembly.Instance(module, { env: { abort } });
  return new WasmKernels(instance.exports as unknown as KernelExports);
}

/**
 * Synchronous load on first use: fine in Node and Web Workers, and on browser main threads too
 * because the module is a few KB (Chromium's main-thread limit is 8 MB). Returns null (and records why) if it cannot load.
 */
export function loadWasmKernels(): WasmKernels | null {
  if (kernels !== null || loadError !== null) return kernels;
  try {
    if (typeof WebAssembly === "undefined") throw new Error("WebAssembly is not supported");
    kernels = instantiate(new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64)));
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
  }
  return kernels;
}

/**
 * Asynchronous initialisation for browser main threads that restrict synchronous compilation.
 * Resolves true when the wasm backend is usable; otherwise the BigInt backend keeps working.
 */
export async function initWasmBackend(): Promise<boolean> {
  if (kernels !== null) return true;
  try {
    if (typeof WebAssembly === "undefined") throw new Error("WebAssembly is not supported");
    // Retried even after a failed synchronous attempt: that may have been a main-thread limit.
    kernels = instantiate(await WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64)));
    loadError = null;
    return true;
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    return false;
  }
}

/** Why the wasm backend is unavailable, or null if it loaded (or has not been tried). */
export function wasmLoadError(): string | null {
  return loadError;
}
