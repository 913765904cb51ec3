import { afterEach, describe, expect, it, vi } from "vitest";
import {
  adoptBackend,
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
import { opensslContextCount, opensslRsaPowCount } from "@/lib/mpc/bigint/openssl-backend";
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

  it("selectFastestBackend picks bigint or wasm at 3072 bits, lets openssl challenge the winner at 6144, and records it", () => {
    const selection = selectFastestBackend(1);
    expect(selection.skipped).toEqual([]);
    const at = (bits: number) => selection.measurements.filter((m) => m.modulusBits === bits);
    expect(at(3072).map((m) => m.backend).sort()).toEqual(["bigint", "wasm"]);
    const general = [...at(3072)].sort((a, b) => a.ms - b.ms)[0];
    expect(at(6144).map((m) => m.backend).sort()).toEqual([general?.backend, "openssl"].sort());
    for (const m of selection.measurements) expect(m.ms).toBeGreaterThan(0);
    const fastest = [...at(6144)].sort((a, b) => a.ms - b.ms)[0];
    expect(selection.chosen).toBe(fastest?.backend);
    expect(getBackend().name).toBe(selection.chosen);
    expect(getBackendSelection()).toEqual(selection);
    expect(ensureBackendSelected()).toBe(selection);
  });

  it("adoptBackend takes a parent's choice: switches when another backend is active, keeps the active one otherwise", () => {
    setBackend("bigint");
    expect(adoptBackend("wasm")).toBe(wasmBackend);
    expect(getBackend()).toBe(wasmBackend);
    expect(adoptBackend("wasm")).toBe(wasmBackend);
    expect(() => adoptBackend("nope" as BackendName)).toThrow(InvalidArgumentError);
    expect(getBackend()).toBe(wasmBackend);
  });

  it("a second copy of the module in the same process (another bundle's, another tsImport's) computes on the first copy's selection", async () => {
    vi.resetModules();
    const first = await import("@/lib/mpc/bigint/registry");
    vi.resetModules();
    const second = await import("@/lib/mpc/bigint/registry");
    expect(second).not.toBe(first);
    const selection = first.selectFastestBackend(1);
    expect(selection.chosen).not.toBe("bigint");
    expect(second.getBackend().name).toBe(selection.chosen);
    expect(second.getBackendSelection()).toBe(selection);
    expect(second.ensureBackendSelected()).toBe(selection);
    // An explicit choice in a copy stands.
    vi.resetModules();
    const third = await import("@/lib/mpc/bigint/registry");
    third.setBackend("bigint");
    expect(third.getBackend().name).toBe("bigint");
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
    // A 6144-bit modulus with a small factor: OpenSSL's own path (DH takes composites).
    const big = (1n << 6143n) + 3n * 7n * 11n * 13n;
    const y = randomBelow(big - 3n) + 2n;
    expect(opensslBackend.multiExp([y, x], [big - 5n, 17n], big)).toBe(bigintBackend.multiExp([y, x], [big - 5n, 17n], big));
    // Mod a 4096-bit N², (1 + N)^N = 1: DH refuses that result, the fallback answers.
    const [p1, q1] = fixtureSafePrimes(1024) as [bigint, bigint];
    const N = p1 * q1;
    expect(opensslBackend.modPow(1n + N, N, N * N)).toBe(1n);
    expect(opensslBackend.multiExp([1n + N, y % (N * N)], [N, 3n], N * N)).toBe(bigintBackend.multiExp([1n + N, y % (N * N)], [N, 3n], N * N));
  });

  it("openssl: modPowPublic takes public moduli from 2048 bits up to OpenSSL; modPow leaves them below 4096 bits on the kernels", () => {
    const [p, q] = fixtureSafePrimes(1536) as [bigint, bigint];
    const N = p * q; // 3072 bits, as a peer's Paillier N in Π^mod
    const z = randomBelow(N - 3n) + 2n;
    const before = opensslContextCount();
    expect(opensslBackend.modPow(z, N, N)).toBe(bigintBackend.modPow(z, N, N));
    expect(opensslBackend.modPow(z, N, p)).toBe(bigintBackend.modPow(z, N, p));
    expect(opensslContextCount()).toBe(before); // a secret-sized modulus never enters the cache through modPow
    expect(opensslBackend.modPowPublic?.(z, N, N)).toBe(bigintBackend.modPow(z, N, N));
    expect(opensslContextCount()).toBe(before + 1);
    // DH's refusals at this size come back right through the fallback, and small moduli stay out.
    expect(opensslBackend.modPowPublic?.(N - 1n, 3n, N)).toBe(N - 1n);
    expect(opensslBackend.modPowPublic?.(z, 0n, N)).toBe(1n);
    const small = fixtureSafePrimes(1024)[0] ?? 0n;
    expect(opensslBackend.modPowPublic?.(z % small, N, small)).toBe(bigintBackend.modPow(z % small, N, small));
    expect(opensslContextCount()).toBe(before + 1);
    // The other backends have no public path of their own: pow.ts falls back to their modPow.
    expect(wasmBackend.modPowPublic).toBeUndefined();
    expect(bigintBackend.modPowPublic).toBeUndefined();
  });

  it("openssl: public exponents mod a secret p² or p go through one-off RSA public operations, never the DH cache", () => {
    const [p, q] = fixtureSafePrimes(1536) as [bigint, bigint];
    const N = p * q;
    const z = randomBelow(N * N - 3n) + 2n;
    const contexts = opensslContextCount();
    for (const m of [p * p, q * q, p, q]) {
      const routed = opensslRsaPowCount();
      const exps = [N, 12345n, (1n << 700n) + 3n]; // N exceeds the smaller of p², q²: that one is split
      expect(opensslBackend.multiExpSecretModulus?.([z % m, (z >> 7n) % m, 3n], exps, m)).toBe(bigintBackend.multiExp([z % m, (z >> 7n) % m, 3n], exps, m));
      expect(opensslRsaPowCount()).toBeGreaterThan(routed);
    }
    expect(opensslContextCount()).toBe(contexts);
    // Outside 1024..3072 bits (OpenSSL's limit for wide RSA exponents), and for even moduli: the kernels.
    const routed = opensslRsaPowCount();
    const big = p * p * q;
    expect(opensslBackend.multiExpSecretModulus?.([z % big], [N], big)).toBe(bigintBackend.modPow(z % big, N, big));
    expect(opensslBackend.multiExpSecretModulus?.([z % 1000n], [N], 1000n)).toBe(bigintBackend.modPow(z % 1000n, N, 1000n));
    expect(opensslRsaPowCount()).toBe(routed);
    expect(wasmBackend.multiExpSecretModulus).toBeUndefined();
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
