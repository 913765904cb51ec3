import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFixedBaseTable,
  defaultFixedBaseWindow,
  fixedBaseMultiPow,
  fixedBaseMultiPowSecret,
  fixedBasePow,
  getBackend,
  InvalidArgumentError,
  modPow,
  NotInvertibleError,
  randomBits,
  randomUnit,
  randomSymmetric,
  setBackend,
  type BackendName,
  type FixedBaseTable,
} from "@/lib/mpc/bigint";
import { oddModulus, refModPowSigned } from "./reference";

// Ring-Pedersen sizes from spec §1.1: exponents of s up to 2304 bits, of t up to 3843 bits.
const S_BITS = 2304;
const T_BITS = 3843;

describe.each<BackendName>(["bigint", "wasm"])("fixed-base tables on the %s backend", (name) => {
  const m = oddModulus(3072, randomBits);
  const s = randomUnit(m);
  const t = randomUnit(m);
  let sTable: FixedBaseTable;
  let tTable: FixedBaseTable;
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(name);
    sTable = createFixedBaseTable(s, m, S_BITS);
    tTable = createFixedBaseTable(t, m, T_BITS, sTable.windowBits);
  });
  afterAll(() => setBackend(previous));

  it("stores base^(2^(w·k)) for every digit position", () => {
    expect(sTable.powers.length).toBe(Math.ceil(S_BITS / sTable.windowBits));
    expect(sTable.powers[0]).toBe(s);
    expect(sTable.powers[3]).toBe(modPow(s, 1n << BigInt(3 * sTable.windowBits), m));
  });

  it("matches modPow on random signed exponents", () => {
    for (const e of [randomBits(S_BITS), -randomBits(S_BITS), randomSymmetric(S_BITS), 0n, 1n, -1n]) {
      expect(fixedBasePow(sTable, e)).toBe(modPow(s, e, m));
    }
  });

  it("matches at the maximum exponent sizes and their negatives", () => {
    const maxS = (1n << BigInt(S_BITS)) - 1n;
    const maxT = (1n << BigInt(T_BITS)) - 1n;
    expect(fixedBasePow(sTable, maxS)).toBe(refModPowSigned(s, maxS, m));
    expect(fixedBasePow(sTable, -maxS)).toBe(refModPowSigned(s, -maxS, m));
    const limitS = 1n << BigInt(S_BITS);
    expect(fixedBasePow(sTable, -limitS)).toBe(refModPowSigned(s, -limitS, m));
    expect(fixedBasePow(tTable, -maxT)).toBe(modPow(t, -maxT, m));
  });

  it("the secret pass equals the public one on random and edge exponents, and refuses what it cannot shift", () => {
    const halfS = (1n << BigInt(S_BITS - 1)) - 1n;
    const halfT = (1n << BigInt(T_BITS - 1)) - 1n;
    const cases: [bigint, bigint][] = [
      [0n, 0n],
      [1n, -1n],
      [halfS, halfT],
      [-halfS, -halfT],
      [randomSymmetric(S_BITS - 1), randomSymmetric(T_BITS - 1)],
      [randomSymmetric(S_BITS - 1), randomSymmetric(T_BITS - 1)],
    ];
    for (const [x, y] of cases) {
      const expected = (refModPowSigned(s, x, m) * refModPowSigned(t, y, m)) % m;
      expect(fixedBaseMultiPowSecret([sTable, tTable], [x, y])).toBe(expected);
      expect(fixedBaseMultiPow([sTable, tTable], [x, y])).toBe(expected);
    }
    expect(() => fixedBaseMultiPowSecret([sTable], [halfS + 1n])).toThrow(InvalidArgumentError);
    expect(() => fixedBaseMultiPowSecret([sTable], [-halfS - 1n])).toThrow(InvalidArgumentError);
    expect(() => fixedBaseMultiPowSecret([sTable, tTable], [1n])).toThrow(InvalidArgumentError);
    const other = createFixedBaseTable(t, m, T_BITS, sTable.windowBits + 1);
    expect(() => fixedBaseMultiPowSecret([sTable, other], [1n, 1n])).toThrow(InvalidArgumentError);
  });

  it("falls back correctly for exponents beyond the table", () => {
    const big = (1n << BigInt(S_BITS)) + 3n;
    expect(fixedBasePow(sTable, big)).toBe(modPow(s, big, m));
    expect(fixedBasePow(sTable, -big - 5n)).toBe(modPow(s, -big - 5n, m));
  });

  it("s^x·t^y in one pass equals the product of modPows", () => {
    const x = randomSymmetric(S_BITS);
    const y = randomSymmetric(T_BITS);
    expect(fixedBaseMultiPow([sTable, tTable], [x, y])).toBe((modPow(s, x, m) * modPow(t, y, m)) % m);
  });

  it("works for every window size, on a small and on an even modulus", () => {
    const small = oddModulus(256, randomBits);
    const g = randomUnit(small);
    for (let w = 1; w <= 12; w++) {
      const table = createFixedBaseTable(g, small, 300, w);
      const e = randomSymmetric(300);
      expect(fixedBasePow(table, e), `w=${w}`).toBe(refModPowSigned(g, e, small));
    }
    const even = 2n * oddModulus(200, randomBits);
    const h = randomUnit(even);
    const evenTable = createFixedBaseTable(h, even, 256);
    const e = randomSymmetric(256);
    expect(fixedBasePow(evenTable, e)).toBe(refModPowSigned(h, e, even));
  });

  it("a table built under one backend works under the other", () => {
    const other: BackendName = name === "wasm" ? "bigint" : "wasm";
    const x = randomSymmetric(S_BITS);
    const expected = fixedBasePow(sTable, x);
    setBackend(other);
    try {
      expect(fixedBasePow(sTable, x)).toBe(expected);
    } finally {
      setBackend(name);
    }
    expect(expected).toBe(modPow(s, x, m));
  });

  it("tiny maxExpBits (0 and 1) still handle their whole exponent range", () => {
    const zero = createFixedBaseTable(s, m, 0);
    expect(fixedBasePow(zero, 0n)).toBe(1n);
    expect(fixedBasePow(zero, -1n)).toBe(modPow(s, -1n, m));
    const one = createFixedBaseTable(s, m, 1);
    for (const e of [-2n, -1n, 0n, 1n]) expect(fixedBasePow(one, e)).toBe(modPow(s, e, m));
    expect(fixedBasePow(one, 2n)).toBe(modPow(s, 2n, m));
  });

  it("non-unit bases support only non-negative exponents", () => {
    const n = 1000003n * 999983n;
    const table = createFixedBaseTable(1000003n * 3n, n, 64);
    expect(table.negativeOffset).toBeNull();
    expect(fixedBasePow(table, 12345n)).toBe(modPow(1000003n * 3n, 12345n, n));
    expect(() => fixedBasePow(table, -5n)).toThrow(NotInvertibleError);
  });

  it("validates its arguments", () => {
    expect(() => createFixedBaseTable(2n, m, 64, 0)).toThrow(InvalidArgumentError);
    expect(() => createFixedBaseTable(2n, m, 64, 13)).toThrow(InvalidArgumentError);
    expect(() => fixedBaseMultiPow([sTable], [])).toThrow(InvalidArgumentError);
    const other = createFixedBaseTable(2n, m, 64, sTable.windowBits + 1);
    expect(() => fixedBaseMultiPow([sTable, other], [1n, 1n])).toThrow(InvalidArgumentError);
  });

  it("chooses a window that balances table passes against bucket collapse", () => {
    expect(defaultFixedBaseWindow(T_BITS)).toBe(6);
    expect(defaultFixedBaseWindow(256)).toBeLessThan(defaultFixedBaseWindow(T_BITS));
  });
});
