import { afterEach, describe, expect, it } from "vitest";
import {
  BackendUnavailableError,
  bigintBackend,
  ensureBackendSelected,
  getBackend,
  getBackendByName,
  getBackendSelection,
  initWasmBackend,
  InvalidArgumentError,
  listBackends,
  opensslBackend,
  randomBelow,
  selectFastestBackend,
  setBackend,
  wasmBackend,
  type BackendName,
} from "@/lib/mpc/bigint";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";

describe("backend registry", () => {
  const initial = getBackend().name;
  afterEach(() => setBackend(initial));

  it("starts on BigInt and lists every backend", () => {
    expect(initial).toBe("bigint");
    expect(listBackends().map((b) => b.name).sort()).toEqual(["bigint", "openssl", "wasm"]);
    expect(getBackendByName("openssl")).toBe(opensslBackend);
    expect(getBackendByName("bigint")).toBe(bigintBackend);
    expect(getBackendByName("wasm")).toBe(wasmBackend);
  });

  it("loads the wasm kernels in Node (sync and async paths)", async () => {
    expect(wasmBackend.isAvailable()).toBe(true);
    expect(await initWasmBackend()).toBe(true);
  });

  it("setBackend switches the active backend and rejects unknown names", () => {
    setBackend("wasm");
    expect(getBackend()).toBe(wasmBackend);
    setBackend("bigint");
    expect(getBackend()).toBe(bigintBackend);
    expect(() => setBackend("gmp" as BackendName)).toThrow(InvalidArgumentError);
    expect(new BackendUnavailableError("x")).toBeInstanceOf(Error);
  });

  it("selectFastestBackend measures all three, activates the fastest and records the decision", () => {
    const selection = selectFastestBackend(1);
    expect(selection.skipped).toEqual([]);
    expect(selection.measurements.map((m) => m.backend).sort()).toEqual(["bigint", "openssl", "wasm"]);
    for (const m of selection.measurements) expect(m.ms).toBeGreaterThan(0);
    const fastest = [...selection.measurements].sort((a, b) => a.ms - b.ms)[0];
    expect(selection.chosen).toBe(fastest?.backend);
    expect(getBackend().name).toBe(selection.chosen);
    expect(getBackendSelection()).toEqual(selection);
    expect(ensureBackendSelected()).toBe(selection);
  });

  it("backends called directly handle zero exponents and unreduced bases", () => {
    const m = (1n << 1023n) | 0x987n;
    for (const b of [bigintBackend, wasmBackend, opensslBackend]) {
      expect(b.multiExp([5n, 7n], [0n, 0n], m), b.name).toBe(1n);
      expect(b.modPow(5n, 0n, m), b.name).toBe(1n);
      expect(b.modPow(m + 5n, 3n, m), b.name).toBe(125n);
      expect(b.modPow(m + 5n, 1n, m), b.name).toBe(5n);
    }
  });

  it("openssl: what OpenSSL's DH refuses (bases 0, 1, m − 1; results 1 and m − 1) comes back right through the fallback", () => {
    const p = fixtureSafePrimes(1024)[0] ?? 0n;
    const x = randomBelow(p - 3n) + 2n;
    expect(opensslBackend.modPow(x, p - 1n, p)).toBe(1n); // Fermat: result 1
    expect(opensslBackend.modPow(p - 1n, 3n, p)).toBe(p - 1n);
    expect(opensslBackend.modPow(p - 1n, 2n, p)).toBe(1n);
    expect(opensslBackend.modPow(1n, 12345n, p)).toBe(1n);
    expect(opensslBackend.modPow(0n, 12345n, p)).toBe(0n);
    expect(opensslBackend.multiExp([x, p - 1n, x], [p - 1n, 5n, 3n], p)).toBe(bigintBackend.multiExp([x, p - 1n, x], [p - 1n, 5n, 3n], p));
    // Even and small moduli never reach OpenSSL.
    expect(opensslBackend.modPow(3n, 1000n, 1n << 2000n)).toBe(bigintBackend.modPow(3n, 1000n, 1n << 2000n));
    expect(opensslBackend.modPow(3n, 1000n, 1000003n)).toBe(bigintBackend.modPow(3n, 1000n, 1000003n));
  });

  it("every backend gives identical results on the selection workload", () => {
    const m = (1n << 3071n) | 0x1234567n;
    const base = 0xdeadbeefn << 2000n;
    const exp = (1n << 3071n) - 12345n;
    expect(wasmBackend.modPow(base, exp, m)).toBe(bigintBackend.modPow(base, exp, m));
    expect(wasmBackend.multiExp([base, 7n], [exp, exp >> 5n], m)).toBe(bigintBackend.multiExp([base, 7n], [exp, exp >> 5n], m));
    expect(opensslBackend.modPow(base, exp, m)).toBe(bigintBackend.modPow(base, exp, m));
    expect(opensslBackend.multiExp([base, 7n], [exp, exp >> 5n], m)).toBe(bigintBackend.multiExp([base, 7n], [exp, exp >> 5n], m));
  });
});
