import type { BigIntBackend } from "./backend";
import { bigintFixedBaseProduct, bigintFixedBaseProductSecret } from "./fixed-base-bigint";
import { bitLength } from "./basic";
import { buildWindowSchedule, fixedWindowBits, oddPowerCount, slidingWindowBits } from "./windows";

/** Odd powers b, b^3, …, b^(2^w − 1) mod m. */
function oddPowers(base: bigint, windowBits: number, m: bigint): bigint[] {
  const count = oddPowerCount(windowBits);
  const table: bigint[] = [base];
  if (count === 1) return table;
  const square = (base * base) % m;
  let cur = base;
  for (let i = 1; i < count; i++) {
    cur = (cur * square) % m;
    table.push(cur);
  }
  return table;
}

function multiExpBigInt(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
  const windowBits = exps.map((e) => slidingWindowBits(e.toString(2).length));
  const tables = bases.map((b, i) => (exps[i] === 0n ? [] : oddPowers(b % m, windowBits[i] ?? 1, m)));
  const sched = buildWindowSchedule(exps, windowBits);
  let acc: bigint | null = null;
  let step = 0;
  const total = sched.positions.length;
  for (let pos = sched.topBits - 1; pos >= 0; pos--) {
    if (acc !== null) acc = (acc * acc) % m;
    while (step < total && sched.positions[step] === pos) {
      const factor = tables[sched.bases[step] ?? 0]?.[((sched.digits[step] ?? 1) - 1) >> 1] ?? 1n;
      acc = acc === null ? factor : (acc * factor) % m;
      step++;
    }
  }
  return acc ?? 1n % m;
}

/**
 * The constant-time path's schedule in BigInt: fixed windows over expBits, one product per window
 * and base whatever the digit, every table entry read. Same operation sequence as the kernel's
 * ctMultiPow, but JavaScript BigInt multiplication itself is not constant-time: the wasm backend
 * is the one to use for secrets (it is selected whenever WebAssembly is available).
 */
export function multiExpSecretBigInt(bases: readonly bigint[], exps: readonly bigint[], m: bigint, expBits: number): bigint {
  const w = fixedWindowBits(bitLength(m));
  const size = 1 << w;
  const windows = Math.max(1, Math.ceil(expBits / w));
  const one = 1n % m;
  const tables = bases.map((b) => {
    const g = b % m;
    const t = [one, g];
    for (let j = 2; j < size; j++) t.push(((t[j - 1] ?? one) * g) % m);
    return t;
  });
  const mask = BigInt(size - 1);
  let acc = one;
  for (let win = windows - 1; win >= 0; win--) {
    for (let s = 0; s < w; s++) acc = (acc * acc) % m;
    tables.forEach((t, b) => {
      const digit = Number(((exps[b] ?? 0n) >> BigInt(win * w)) & mask);
      let sel = 0n;
      for (let j = 0; j < size; j++) {
        const keep = -BigInt(Number(j === digit)); // 0 or −1 (all ones)
        sel |= (t[j] ?? 0n) & keep;
      }
      acc = (acc * sel) % m;
    });
  }
  return acc;
}

/** [g^(2^(w·k)) mod m for k < count] by repeated BigInt squaring. */
export function bigintFixedBasePowers(g: bigint, m: bigint, count: number, windowBits: number): bigint[] {
  const powers = [g];
  let cur = g;
  for (let k = 1; k < count; k++) {
    for (let s = 0; s < windowBits; s++) cur = (cur * cur) % m;
    powers.push(cur);
  }
  return powers;
}

/** Pure-JS backend: sliding-window exponentiation with native BigInt multiplication and %. */
export const bigintBackend: BigIntBackend = {
  name: "bigint",
  isAvailable: () => true,
  modPow: (base, exp, m) => multiExpBigInt([base], [exp], m),
  multiExpSecret: (bases, exps, m, expBits) => multiExpSecretBigInt(bases, exps, m, expBits),
  multiExp: (bases, exps, m) => multiExpBigInt(bases, exps, m),
  fixedBasePowers: (g, m, count, windowBits) => bigintFixedBasePowers(g, m, count, windowBits),
  fixedBaseProduct: (tables, digits) => bigintFixedBaseProduct(tables, digits, tables[0]?.m ?? 1n),
  fixedBaseProductSecret: (tables, digits) => bigintFixedBaseProductSecret(tables, digits, tables[0]?.m ?? 1n),
};
