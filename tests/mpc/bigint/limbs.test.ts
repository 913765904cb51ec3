import { describe, expect, it } from "vitest";
import { limbGeometry, readLimbs, writeLimbs } from "@/lib/mpc/bigint/limbs";
import { randomBits } from "@/lib/mpc/bigint";

describe("limb geometry for the wasm kernels", () => {
  it("keeps every Montgomery column sum inside u64 and R = 2^(w·n) > 4N", () => {
    for (let bits = 128; bits <= 16384; bits += 61) {
      const { limbBits: w, limbs: n } = limbGeometry(bits);
      const limbMax = (1n << BigInt(w)) - 1n;
      const worstColumn = 2n * BigInt(n) * limbMax * limbMax + (1n << BigInt(64 - w));
      expect(worstColumn < 1n << 64n, `bits=${bits}`).toBe(true);
      expect(w * n >= bits + 2, `bits=${bits}`).toBe(true);
      expect(w).toBeLessThanOrEqual(30);
    }
    expect(limbGeometry(3072)).toEqual({ limbBits: 28, limbs: 110 });
    expect(limbGeometry(6144)).toEqual({ limbBits: 27, limbs: 228 });
  });

  it("round-trips values through limbs", () => {
    for (const w of [16, 27, 28, 30]) {
      const x = randomBits(3000);
      const n = Math.ceil(3000 / w);
      const view = new Uint32Array(n + 3);
      writeLimbs(view, 2, x, n, w);
      for (let i = 0; i < n; i++) expect((view[2 + i] ?? 0) < 2 ** w).toBe(true);
      expect(readLimbs(view, 2, n, w)).toBe(x);
    }
  });
});
