/**
 * Main-thread coordinator of the wizard's prime workers. A client party needs four safe primes
 * (Paillier p, q; ring-Pedersen p̂, q̂). The wizard starts a PrimeSupply as soon as it opens, before
 * the user has named the signer, so the slow part of key generation overlaps with the form. Each
 * prime is searched in its own Web Worker, a few at a time; this file only hands out jobs, collects
 * results and keeps the numbers the progress view shows (no arithmetic on the main thread).
 */
import type { AuxPrimesHex, PrimeWorkerResponse } from "@/lib/mpc/worker/messages";
import { FAST_TEST, PRODUCTION } from "@/lib/mpc/params";
import { safeSieveFor, safeSievePrimes } from "@/lib/mpc/primes";

export function primeBitsFor(profile: string): number {
  if (profile === FAST_TEST.name) return FAST_TEST.primeBits;
  if (profile === PRODUCTION.name) return PRODUCTION.primeBits;
  throw new Error(`The server announced an unknown security profile: ${profile}`);
}

/** Safe primes per client party. */
export const PRIMES_PER_PARTY = 4;

export class PrimeGenerationCancelled extends Error {
  constructor() {
    super("Prime generation was cancelled");
    this.name = "PrimeGenerationCancelled";
  }
}

/**
 * Expected number of sieve survivors (the generator's `tested` count) per safe prime of `bits` bits:
 * an odd p' near 2^(bits−1) makes a safe prime 2p'+1 with probability ≈ 4·C₂ / (ln x · ln 2x)
 * (Hardy–Littlewood, C₂ the twin-prime constant), and the sieve keeps a fraction ∏(1 − 2/r) of the
 * candidates while removing none of the safe primes. Checked against the generator at 384 bits
 * (theory 105, measured 133 over 60 primes). The search is memoryless, so this is also the expected
 * remaining work of a search in progress, whatever it has tried so far.
 */
export function expectedTestsPerSafePrime(bits: number): number {
  const lnx = (bits - 1) * Math.LN2;
  const perOddCandidate = (4 * 0.6601618158) / (lnx * (lnx + Math.LN2));
  let survivors = 1;
  for (const r of safeSievePrimes(safeSieveFor(bits).bound)) survivors *= 1 - 2 / r;
  return survivors / perOddCandidate;
}

export type PrimeSource = "generated" | "stored";

export type PrimeSlot = {
  /** 1-based, in the order the searches started. */
  n: number;
  state: "searching" | "found";
  source: PrimeSource;
  candidates: number;
  tested: number;
  startedAt: number;
  foundAt?: number;
};

export type PrimeSupplySnapshot = {
  bits: number;
  /** How many primes the wizard needs in all (4 for the user's party, 8 when the browser also runs the agent's). */
  target: number;
  /** Primes ready (generated here or unsealed from this browser's store), not yet handed to a party. */
  ready: number;
  /** Primes already handed to a key generation. */
  used: number;
  /** Searches in progress and primes found, newest last. */
  slots: PrimeSlot[];
  startedAt: number;
  /** Seconds until the target is reached, from the measured test rate; null until there is a rate. */
  etaSeconds: number | null;
  failed: string | null;
};

type Listener = (s: PrimeSupplySnapshot) => void;

/**
 * Keeps `target` safe primes of `bits` bits coming: `lanes` workers search at once, each for one
 * prime. `take(n)` waits for n primes and removes them (a prime is handed to one party only).
 */
export class PrimeSupply {
  private readonly primes: { hex: string; source: PrimeSource }[] = [];
  private readonly seen = new Set<string>();
  private readonly workers = new Map<Worker, PrimeSlot>();
  private readonly slots: PrimeSlot[] = [];
  private readonly listeners = new Set<Listener>();
  private waiters: { n: number; resolve: (p: string[]) => void; reject: (e: Error) => void }[] = [];
  private target: number;
  private used = 0;
  private nextSlot = 1;
  private stopped = false;
  private failed: string | null = null;
  private readonly startedAt = Date.now();
  /** Sum of sieve survivors tested and of worker-milliseconds spent, over every search so far. */
  private testedDone = 0;
  private workMsDone = 0;
  private readonly expected: number;

  constructor(
    private readonly opts: {
      bits: number;
      target: number;
      lanes: number;
      makeWorker: () => Worker;
      /** Called once per newly generated prime (the wizard seals it into the browser's store). */
      onGenerated?: (primeHex: string) => void;
    },
  ) {
    this.target = opts.target;
    this.expected = expectedTestsPerSafePrime(opts.bits);
    this.fill();
  }

  get bits(): number {
    return this.opts.bits;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.snapshot());
    return () => this.listeners.delete(fn);
  }

  snapshot(): PrimeSupplySnapshot {
    return {
      bits: this.opts.bits,
      target: this.target,
      ready: this.primes.length,
      used: this.used,
      slots: this.slots.map((s) => ({ ...s })),
      startedAt: this.startedAt,
      etaSeconds: this.eta(),
      failed: this.failed,
    };
  }

  /** Raises (browser mode needs eight) or lowers the number of primes wanted in all. */
  setTarget(target: number): void {
    this.target = target;
    this.fill();
    this.emit();
  }

  /** Primes from elsewhere (unsealed from this browser's store): they count towards the target. */
  addPrimes(hex: string[], source: PrimeSource = "stored"): void {
    for (const h of hex) this.accept(h, source);
    this.fill();
    this.emit();
  }

  /** Resolves with `n` distinct primes once they are ready and removes them from the supply. */
  take(n: number, signal?: AbortSignal): Promise<string[]> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(new Error(this.failed));
      if (this.stopped || signal?.aborted) return reject(new PrimeGenerationCancelled());
      const waiter = { n, resolve, reject };
      this.waiters.push(waiter);
      // A cancelled wait takes nothing: the primes stay for the next attempt.
      signal?.addEventListener(
        "abort",
        () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new PrimeGenerationCancelled());
        },
        { once: true },
      );
      this.serve();
    });
  }

  /** Resolves once `n` primes are ready, without taking them (a cancelled wizard keeps them). */
  whenReady(n: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let unsubscribe: (() => void) | null = null;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        unsubscribe?.();
        signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => settle(new PrimeGenerationCancelled());
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      unsubscribe = this.subscribe((s) => {
        if (s.failed) settle(new Error(s.failed));
        else if (s.ready >= n) settle();
      });
      if (settled) unsubscribe();
    });
  }

  /** Stops every search; pending `take`s reject. */
  stop(): void {
    this.stopped = true;
    for (const w of this.workers.keys()) w.terminate();
    this.workers.clear();
    const kept = this.slots.filter((s) => s.state !== "searching");
    this.slots.splice(0, this.slots.length, ...kept);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new PrimeGenerationCancelled());
    this.emit();
  }

  private needed(): number {
    return Math.max(0, this.target - this.used - this.primes.length);
  }

  private eta(): number | null {
    const missing = this.needed();
    if (missing === 0) return 0;
    const now = Date.now();
    let tested = this.testedDone;
    let ms = this.workMsDone;
    for (const s of this.workers.values()) {
      tested += s.tested;
      ms += now - s.startedAt;
    }
    if (tested < 8 || ms < 1500) return null;
    const perLaneRate = tested / ms; // sieve survivors tested per worker-millisecond
    // Every lane searches until the target is met, so primes arrive at `lanes` times one lane's rate.
    return Math.round((missing * this.expected) / (perLaneRate * this.opts.lanes) / 1000);
  }

  private fill(): void {
    if (this.stopped || this.failed) return;
    // Every lane keeps searching while any prime is missing: the search is memoryless, so racing two
    // workers for the last prime halves its expected wait instead of leaving a core idle.
    if (this.needed() === 0) {
      for (const [w, slot] of [...this.workers.entries()]) {
        this.retire(w, slot);
        this.slots.splice(this.slots.indexOf(slot), 1);
      }
      return;
    }
    while (this.workers.size < this.opts.lanes && !this.failed) this.spawn();
  }

  private retire(w: Worker, slot: PrimeSlot): void {
    w.terminate();
    this.workers.delete(w);
    this.testedDone += slot.tested;
    this.workMsDone += Date.now() - slot.startedAt;
  }

  private spawn(): void {
    let w: Worker;
    try {
      w = this.opts.makeWorker();
    } catch (err) {
      return this.fail(`A prime worker could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
    const slot: PrimeSlot = { n: this.nextSlot++, state: "searching", source: "generated", candidates: 0, tested: 0, startedAt: Date.now() };
    this.workers.set(w, slot);
    this.slots.push(slot);
    w.onmessage = (ev: MessageEvent) => {
      const m = ev.data as PrimeWorkerResponse;
      if (!this.workers.has(w)) return;
      if (m.type === "progress") {
        slot.candidates = m.candidates;
        slot.tested = m.tested;
        this.emit();
      } else if (m.type === "prime") {
        this.retire(w, slot);
        slot.state = "found";
        slot.foundAt = Date.now();
        const fresh = this.accept(m.prime, "generated", slot);
        if (fresh) this.opts.onGenerated?.(m.prime);
        else this.slots.splice(this.slots.indexOf(slot), 1);
        this.fill();
        this.emit();
      } else if (m.type === "error") {
        this.retire(w, slot);
        this.fail(`A prime worker failed: ${m.message}`);
      }
    };
    w.onerror = (ev) => {
      if (!this.workers.has(w)) return;
      this.retire(w, slot);
      this.fail(`A prime worker failed to start: ${ev.message || "unknown error"}`);
    };
    w.postMessage({ type: "prime", bits: this.opts.bits });
  }

  private accept(hex: string, source: PrimeSource, slot?: PrimeSlot): boolean {
    const h = hex.toLowerCase().replace(/^0x/, "");
    if (this.seen.has(h)) return false;
    this.seen.add(h);
    this.primes.push({ hex: h, source });
    if (!slot) {
      const now = Date.now();
      this.slots.push({ n: this.nextSlot++, state: "found", source, candidates: 0, tested: 0, startedAt: now, foundAt: now });
    }
    this.serve();
    return true;
  }

  private serve(): void {
    while (this.waiters.length && this.primes.length >= this.waiters[0]!.n) {
      const w = this.waiters.shift()!;
      const taken = this.primes.splice(0, w.n).map((p) => p.hex);
      this.used += taken.length;
      w.resolve(taken);
    }
  }

  private fail(message: string): void {
    this.failed = message;
    for (const w of this.workers.keys()) w.terminate();
    this.workers.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error(message));
    this.emit();
  }

  private emit(): void {
    const s = this.snapshot();
    for (const fn of this.listeners) fn(s);
  }
}

export function asAuxPrimes(primes: string[], offset = 0): AuxPrimesHex {
  const [p, q, pHat, qHat] = primes.slice(offset, offset + 4);
  if (!p || !q || !pHat || !qHat) throw new Error("Not enough primes");
  return { p, q, pHat, qHat };
}
