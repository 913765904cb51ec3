/**
 * The wizard's prime supply (lib/signing/browser/prime-pool.ts) with scripted workers: lanes, the
 * target, primes from the store, cancelled waits keeping their primes, and the time estimate.
 */
import { describe, expect, it } from "vitest";
import { expectedTestsPerSafePrime, PrimeGenerationCancelled, PrimeSupply } from "@/lib/signing/browser/prime-pool";

class FakeWorker {
  static live: FakeWorker[] = [];
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  bits = 0;
  constructor() {
    FakeWorker.live.push(this);
  }
  postMessage(m: { type: string; bits: number }) {
    this.bits = m.bits;
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

let counter = 0;
const running = () => FakeWorker.live.filter((w) => !w.terminated);
const findOne = () => running()[0]!.emit({ type: "prime", prime: (0xabcdef00 + ++counter).toString(16) });

function supply(target = 4, lanes = 2) {
  FakeWorker.live = [];
  return new PrimeSupply({ bits: 1024, target, lanes, makeWorker: () => new FakeWorker() as unknown as Worker });
}

describe("PrimeSupply", () => {
  it("keeps `lanes` searches running until the target is reached, then hands primes out once", async () => {
    const s = supply(4, 2);
    expect(running()).toHaveLength(2);
    expect(running()[0]!.bits).toBe(1024);
    for (let i = 0; i < 4; i++) findOne();
    expect(running()).toHaveLength(0);
    expect(s.snapshot()).toMatchObject({ target: 4, ready: 4, used: 0 });
    const got = await s.take(4);
    expect(new Set(got).size).toBe(4);
    expect(s.snapshot()).toMatchObject({ ready: 0, used: 4 });
    s.setTarget(8);
    expect(running()).toHaveLength(2);
    s.stop();
  });

  it("counts primes unsealed from the store towards the target; every lane races for the last prime", () => {
    const s = supply(4, 2);
    s.addPrimes(["aa01", "aa02", "aa03"]);
    expect(running()).toHaveLength(2);
    expect(s.snapshot().slots.filter((x) => x.source === "stored")).toHaveLength(3);
    s.addPrimes(["aa02"]); // a duplicate is ignored
    expect(s.snapshot().ready).toBe(3);
    findOne();
    expect(running()).toHaveLength(0);
    s.stop();
  });

  it("a cancelled wait takes nothing; whenReady does not take", async () => {
    const s = supply(4, 2);
    const abort = new AbortController();
    const waiting = s.take(4, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(PrimeGenerationCancelled);
    const ready = s.whenReady(4);
    for (let i = 0; i < 4; i++) findOne();
    await ready;
    expect(s.snapshot()).toMatchObject({ ready: 4, used: 0 });
    s.stop();
  });

  it("shows per-prime activity and estimates the time left from the measured test rate", async () => {
    const s = supply(4, 2);
    expect(s.snapshot().etaSeconds).toBeNull();
    const [a, b] = running();
    a!.emit({ type: "progress", candidates: 500, tested: 10 });
    b!.emit({ type: "progress", candidates: 400, tested: 8 });
    expect(s.snapshot().slots.map((x) => x.candidates)).toEqual([500, 400]);
    await new Promise((r) => setTimeout(r, 1600));
    const eta = s.snapshot().etaSeconds!;
    // ≈ 4 primes × E[tests] / (2 lanes × 18 tests / 3.2 worker-seconds).
    const expected = (4 * expectedTestsPerSafePrime(1024)) / (2 * (18 / 3.2));
    expect(eta).toBeGreaterThan(expected * 0.7);
    expect(eta).toBeLessThan(expected * 1.3);
    s.stop();
  });

  it("expects about as many tests per safe prime as the generator needs", () => {
    // Measured at 384 bits (sieve by the odd primes below 2^21): 133 tests per prime over 60 primes.
    expect(expectedTestsPerSafePrime(384)).toBeGreaterThan(80);
    expect(expectedTestsPerSafePrime(384)).toBeLessThan(160);
    // 1536 bits sieves deeper (primes below 2^24): ≈ 1,290 tests where the 2^21 sieve would leave ≈ 1,680.
    expect(expectedTestsPerSafePrime(1536)).toBeGreaterThan(1200);
    expect(expectedTestsPerSafePrime(1536)).toBeLessThan(1400);
    expect(expectedTestsPerSafePrime(1536)).toBeGreaterThan(expectedTestsPerSafePrime(1024) * 1.5);
  });
});
