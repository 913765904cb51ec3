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


/**
 * The secret-digit schedule in BigInt (the kernel's yaoProductSecret): every entry multiplied into
 * its bucket, which is read and written back by scanning all buckets; buckets start at 1 and the
 * collapse takes a fixed 2·(2^w − 2) products. JavaScript BigInt multiplication itself is not
 * constant-time: the wasm backend is the one for secrets.
 */
export function bigintFixedBaseProductSecret(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[], m: bigint): bigint {
  const size = 1 << (tables[0]?.windowBits ?? 1);
  const one = 1n % m;
  const buckets: bigint[] = new Array<bigint>(size).fill(one);
  tables.forEach((t, i) => {
    const ds = digits[i] ?? new Uint16Array(0);
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k] ?? 0;
      let sel = 0n;
      for (let j = 0; j < size; j++) sel |= (buckets[j] ?? 0n) & -BigInt(Number(j === d));
      sel = (sel * (t.powers[k] ?? one)) % m;
      for (let j = 0; j < size; j++) {
        const keep = -BigInt(Number(j === d));
        buckets[j] = (sel & keep) | ((buckets[j] ?? 0n) & ~keep);
      }
    }
  });
  let running = buckets[size - 1] ?? one;
  let acc = running;
  for (let d = size - 2; d >= 1; d--) {
    running = (running * (buckets[d] ?? one)) % m;
    acc = (acc * running) % m;
  }
  return acc;
}
