import type { FixedBaseTable } from "./fixed-base";

/**
 * Yao's fixed-base product in plain BigInt: buckets[d] = Π powers[k] over digits d_k = d, then
 * Π_d buckets[d]^d with running products (2·2^w multiplications).
 */
export function bigintFixedBaseProduct(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[], m: bigint): bigint {
  const windowBits = tables[0]?.windowBits ?? 1;
  const buckets: (bigint | null)[] = new Array<bigint | null>(1 << windowBits).fill(null);
  tables.forEach((t, i) => {
    const ds = digits[i] ?? new Uint16Array(0);
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k] ?? 0;
      if (d === 0) continue;
      const p = t.powers[k] ?? 1n;
      const cur = buckets[d];
      buckets[d] = cur === null || cur === undefined ? p : (cur * p) % m;
    }
  });
  let running: bigint | null = null;
  let acc: bigint | null = null;
  for (let d = buckets.length - 1; d >= 1; d--) {
    const b = buckets[d];
    if (b !== null && b !== undefined) running = running === null ? b : (running * b) % m;
    if (running !== null) acc = acc === null ? running : (acc * running) % m;
  }
  return acc ?? 1n % m;
}

