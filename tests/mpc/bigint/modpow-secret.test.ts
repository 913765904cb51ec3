import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bitLength,
  getBackend,
  InvalidArgumentError,
  modPow,
  modPowSecret,
  multiExp,
  multiExpSecret,
  randomBelow,
  randomBits,
  setBackend,
  type BackendName,
} from "@/lib/mpc/bigint";
import { loadWasmKernels, type KernelTrace, type WasmKernels } from "@/lib/mpc/bigint/wasm-kernels";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { affineWithNoncePower, decrypt, encrypt, multiPowN2, noncePower, paillierSecretKey, powN2Secret } from "@/lib/mpc/paillier";
import { FAST_TEST } from "@/lib/mpc/params";
import { generateRingPedersen, pedersenContext, publicRingPedersen, tableExponentBits } from "@/lib/mpc/ring-pedersen";
import { oddModulus, refModPow } from "./reference";

// Modulus sizes of both profiles: primes (1024 fast-test, 1536 production), N (2048, 3072) and
// N² (4096, 6144), plus a small one and odd sizes that leave partial windows.
const SIZES = [130, 1024, 1536, 2048, 3072, 4096, 6144] as const;

describe.each<BackendName>(["bigint", "wasm"])("secret-exponent path on the %s backend", (name) => {
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(name);
  });
  afterAll(() => {
    setBackend(previous);
  });

  it.each(SIZES)("equals the sliding-window modPow on random %i-bit inputs", (bits) => {
    const m = oddModulus(bits, randomBits);
    // Full-size exponents except at the N² sizes, to keep the naive reference affordable.
    const expBits = bits >= 4096 ? 1031 : bits;
    for (let i = 0; i < 2; i++) {
      const base = randomBelow(m);
      const exp = randomBelow(1n << BigInt(expBits));
      const secret = modPowSecret(base, exp, m, expBits);
      expect(secret).toBe(modPow(base, exp, m));
      expect(secret).toBe(refModPow(base, exp, m));
    }
  });

  it("handles edge exponents and bases (0, 1, m−1, all-ones, a bound one bit above the exponent)", () => {
    for (const bits of [1024, 1536, 3072]) {
      const m = oddModulus(bits, randomBits);
      const x = randomBelow(m);
      const allOnes = (1n << BigInt(bits)) - 1n;
      for (const e of [0n, 1n, 2n, m - 1n, m - 2n, allOnes, 1n << BigInt(bits - 1)]) {
        expect(modPowSecret(x, e, m, bits)).toBe(refModPow(x, e, m));
      }
      for (const b of [0n, 1n, m - 1n, m + x, -x]) {
        const e = randomBits(bits - 3);
        expect(modPowSecret(b, e, m, bits)).toBe(refModPow(((b % m) + m) % m, e, m));
        expect(modPowSecret(b, 0n, m, bits)).toBe(1n);
      }
      // The bound is public and may exceed the exponent's length: the top windows are zeros.
      const e = randomBits(200);
      expect(modPowSecret(x, e, m, bits + 7)).toBe(refModPow(x, e, m));
    }
    expect(modPowSecret(5n, 3n, 1n, 8)).toBe(0n);
  });

  it("multi-exponentiation equals the product of single powers", () => {
    const m = oddModulus(2048, randomBits);
    const bases = [randomBelow(m), randomBelow(m), randomBelow(m)];
    const exps = [randomBits(2048), 0n, randomBits(900)];
    expect(multiExpSecret(bases, exps, m, 2048)).toBe(multiExp(bases, exps, m));
    expect(multiExpSecret(bases, exps, m, 2048)).toBe(
      bases.reduce((acc, b, i) => (acc * refModPow(b, exps[i] ?? 0n, m)) % m, 1n),
    );
  });

  it("refuses exponents outside [0, 2^expBits) and mismatched lengths", () => {
    const m = oddModulus(1024, randomBits);
    expect(() => modPowSecret(3n, -1n, m, 1024)).toThrow(InvalidArgumentError);
    expect(() => modPowSecret(3n, 1n << 1024n, m, 1024)).toThrow(InvalidArgumentError);
    expect(() => multiExpSecret([3n], [1n, 2n], m, 1024)).toThrow(InvalidArgumentError);
    expect(() => multiExpSecret([], [], m, 1024)).toThrow(InvalidArgumentError);
  });
});

describe("the wasm kernel's operation sequence on the secret path", () => {
  let kernels: WasmKernels;
  let previous: BackendName;
  beforeAll(() => {
    const k = loadWasmKernels();
    if (k === null) throw new Error("wasm kernels did not load");
    kernels = k;
    previous = getBackend().name;
    setBackend("wasm");
  });
  afterAll(() => {
    setBackend(previous);
  });

  function traced(run: () => bigint): { trace: KernelTrace; result: bigint } {
    kernels.traceReset();
    const result = run();
    return { trace: kernels.trace(), result };
  }

  it.each([1024, 1536, 3072])("does not depend on the exponent bits (%i-bit modulus)", (bits) => {
    const m = oddModulus(bits, randomBits);
    const base = randomBelow(m);
    // Exponents of the same public bound with very different bit patterns and lengths.
    const exps = [
      randomBits(bits) | (1n << BigInt(bits - 1)),
      randomBits(bits) | (1n << BigInt(bits - 1)),
      (1n << BigInt(bits)) - 1n,
      1n << BigInt(bits - 1),
      0n,
      1n,
      randomBits(bits / 2),
    ];
    const runs = exps.map((e) => traced(() => modPowSecret(base, e, m, bits)));
    runs.forEach((r, i) => expect(r.result).toBe(refModPow(base, exps[i] ?? 0n, m)));
    const first = runs[0]?.trace;
    for (const r of runs) expect(r.trace).toEqual(first);
    // The schedule: w squarings and one product per window, 2^w reads per product.
    const w = bits <= 2048 ? 4 : 5;
    const windows = Math.ceil(bits / w);
    expect(first?.squarings).toBe(windows * w);
    expect(first?.tableReads).toBe(windows * (1 << w));
    // Products: one per window, plus toMont (1), the table (2^w − 1) and fromMont (1).
    expect(first?.products).toBe(windows + 1 + ((1 << w) - 1) + 1);
  });

  it("does not depend on the bases either (the CRT halves of a Paillier decryption)", () => {
    const m = oddModulus(2048, randomBits);
    const e = randomBits(2048);
    const a = traced(() => multiExpSecret([randomBelow(m), 1n], [e, randomBits(2048)], m, 2048));
    const b = traced(() => multiExpSecret([0n, randomBelow(m)], [randomBits(100), e], m, 2048));
    expect(a.trace).toEqual(b.trace);
  });

  it("the instrumentation sees the difference on the public sliding-window path", () => {
    const m = oddModulus(1024, randomBits);
    const base = randomBelow(m);
    const dense = (1n << 1024n) - 1n;
    const sparse = (1n << 1023n) | 1n;
    const a = traced(() => modPow(base, dense, m));
    const b = traced(() => modPow(base, sparse, m));
    expect(bitLength(dense)).toBe(bitLength(sparse));
    expect(a.trace.hash).not.toBe(b.trace.hash);
    expect(a.trace.products).toBeGreaterThan(b.trace.products);
  });

  it("a secret scalar under a peer's public key (k ⊙ K_j, a proof's mask) shows neither its sign nor its size", () => {
    const primes = fixtureSafePrimes(1024);
    const sk = paillierSecretKey(primes[0] ?? 0n, primes[1] ?? 0n);
    const pk = { N: sk.N, N2: sk.N2, halfN: sk.halfN };
    const c = encrypt(sk, 1000n).ciphertext;
    const scalars = [randomBits(255) | 1n, -(randomBits(255) | 1n), 1n, -1n, (1n << 255n) - 1n, -(1n << 254n) - 1n];
    const runs = scalars.map((k) => traced(() => affineWithNoncePower(pk, c, k, 5n, noncePower(sk, 7n), 256)));
    runs.forEach((r, i) => expect(decrypt(sk, r.result)).toBe(1000n * (scalars[i] ?? 0n) + 5n));
    for (const r of runs) expect(r.trace).toEqual(runs[0]?.trace);
    const a = randomBits(700);
    const masks = [a, -a, 3n].map((e) => traced(() => powN2Secret(pk, c, e, 768)));
    expect(masks[0]?.result).toBe(refModPow(c, a, pk.N2));
    expect(((masks[0]?.result ?? 0n) * (masks[1]?.result ?? 0n)) % pk.N2).toBe(1n);
    for (const r of masks) expect(r.trace).toEqual(masks[0]?.trace);
  });

  it("Paillier decryption and CRT nonce powers of two keys of one size run the same sequence", () => {
    const primes = fixtureSafePrimes(1024);
    const k1 = paillierSecretKey(primes[0] ?? 0n, primes[1] ?? 0n);
    const k2 = paillierSecretKey(primes[2] ?? 0n, primes[3] ?? 0n);
    const c1 = encrypt(k1, 12345n).ciphertext;
    const c2 = encrypt(k2, -7n).ciphertext;
    const d1 = traced(() => decrypt(k1, c1));
    const d2 = traced(() => decrypt(k2, c2));
    expect(d1.result).toBe(12345n);
    expect(d2.result).toBe(-7n);
    expect(d1.trace).toEqual(d2.trace);
    // The exponents p−1 and q−1 differ between the keys; sliding windows would show it.
    const s1 = traced(() => modPow(c1, (primes[0] ?? 0n) - 1n, k1.N2));
    const s2 = traced(() => modPow(c2, (primes[2] ?? 0n) - 1n, k2.N2));
    expect(s1.trace.hash).not.toBe(s2.trace.hash);
    // r^N mod N² with the secret key: exponents N mod p(p−1), N mod q(q−1) are secret.
    const n1 = traced(() => noncePower(k1, 3n));
    const n2 = traced(() => noncePower(k2, 5n));
    expect(n1.result).toBe(refModPow(3n, k1.N, k1.N2));
    expect(n1.trace).toEqual(n2.trace);
    const m1 = traced(() => multiPowN2(k1, [c1, 3n], [randomBits(300), k1.N]));
    const m2 = traced(() => multiPowN2(k2, [c2, 5n], [randomBits(10), k2.N]));
    expect(m1.trace).toEqual(m2.trace);
  });
  it("a ring-Pedersen commitment with a peer's (s, t) shows neither the digits, signs nor sizes of x and y", () => {
    const primes = fixtureSafePrimes(1024);
    const peer = pedersenContext(publicRingPedersen(generateRingPedersen(primes[0] ?? 0n, primes[1] ?? 0n)), FAST_TEST);
    const bits = tableExponentBits(FAST_TEST);
    const halfS = (1n << BigInt(bits.s - 1)) - 1n;
    const halfT = (1n << BigInt(bits.t - 1)) - 1n;
    const cases: [bigint, bigint][] = [
      [randomBits(bits.s - 2), -randomBits(bits.t - 2)],
      [-randomBits(bits.s - 2), randomBits(bits.t - 2)],
      [0n, 0n],
      [1n, -1n],
      [halfS, -halfT],
      [randomBits(20), randomBits(bits.t - 1)],
    ];
    const { N, s: sBase, t: tBase } = peer.params;
    peer.commit(0n, 0n); // the shift's inverse is computed once per table and bound, before the traces
    const runs = cases.map(([x, y]) => traced(() => peer.commit(x, y)));
    runs.forEach((r, i) => expect(r.result).toBe(multiExp([sBase, tBase], cases[i] ?? [0n, 0n], N)));
    for (const r of runs) expect(r.trace).toEqual(runs[0]?.trace);
    // With the callers' own public bounds: fewer digits, still independent of the values.
    const bounds = [256, 2000] as const;
    peer.commit(0n, 0n, bounds);
    const within: [bigint, bigint][] = [[1n, -1n], [-randomBits(255), randomBits(1999)], [0n, 0n]];
    const bounded = within.map(([x, y]) => traced(() => peer.commit(x, y, bounds)));
    bounded.forEach((r, i) => expect(r.result).toBe(multiExp([sBase, tBase], within[i] ?? [0n, 0n], N)));
    for (const r of bounded) expect(r.trace).toEqual(bounded[0]?.trace);
    expect(bounded[0]?.trace.products).toBeLessThan(runs[0]?.trace.products ?? 0);
    // The public pass (a verifier's equation) skips zero digits and shows them.
    const a = traced(() => peer.commitPublic(0n, 1n));
    const b = traced(() => peer.commitPublic(halfS, -halfT));
    expect(a.trace.products).toBeLessThan(b.trace.products);
  });
});
