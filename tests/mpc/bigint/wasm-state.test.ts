import { describe, expect, it } from "vitest";
import {
  bigintBackend,
  createFixedBaseTable,
  fixedBaseMultiPow,
  randomBelow,
  randomBits,
  randomSymmetric,
  randomUnit,
  setBackend,
  wasmBackend,
} from "@/lib/mpc/bigint";
import { oddModulus, refModPowSigned } from "./reference";

// The wasm backend keeps per-modulus state (geometry, zero-padded slots, cached tables) between
// calls; these sequences mix operations that use different numbers of slots and moduli.
describe("wasm backend state across calls", () => {
  it("interleaved operations of different sizes on one modulus stay correct", () => {
    const m = oddModulus(1024, randomBits);
    const g = randomUnit(m);
    const h = randomUnit(m);
    setBackend("wasm");
    try {
      const table = createFixedBaseTable(g, m, 1500, 8);
      const tableH = createFixedBaseTable(h, m, 1500, 8);
      for (let round = 0; round < 3; round++) {
        const x = randomSymmetric(1500);
        const y = randomSymmetric(1500);
        const got = fixedBaseMultiPow([table, tableH], [x, y]);
        expect(got).toBe((refModPowSigned(g, x, m) * refModPowSigned(h, y, m)) % m);
        const e = randomBits(40); // few slots: a small window and a short schedule
        expect(wasmBackend.modPow(g, e, m)).toBe(bigintBackend.modPow(g, e, m));
        const bases = [randomBelow(m), randomBelow(m), randomBelow(m)];
        const exps = [randomBits(1024), randomBits(900), randomBits(20)];
        expect(wasmBackend.multiExp(bases, exps, m)).toBe(bigintBackend.multiExp(bases, exps, m));
        const e2 = randomBits(2000); // large window, many slots, long schedule
        expect(wasmBackend.modPow(h, e2, m)).toBe(bigintBackend.modPow(h, e2, m));
        expect(fixedBaseMultiPow([table, tableH], [x, y])).toBe(got);
      }
    } finally {
      setBackend("bigint");
    }
  });

  it("alternating moduli of different sizes stay correct", () => {
    const moduli = [oddModulus(3072, randomBits), oddModulus(256, randomBits), oddModulus(6144, randomBits), oddModulus(2048, randomBits)];
    for (let round = 0; round < 2; round++) {
      for (const m of moduli) {
        const b = randomBelow(m);
        const e = randomBits(round === 0 ? 64 : 700);
        expect(wasmBackend.modPow(b, e, m)).toBe(bigintBackend.modPow(b, e, m));
      }
    }
  });
});
