// Montgomery arithmetic over multi-limb numbers for lib/mpc/bigint (AssemblyScript → wasm32 + SIMD).
//
// Representation: little-endian limbs of `limbBits` (≤ 30) bits stored one per u32. Products of
// two limbs fit in 60 bits, so a whole column of the schoolbook product plus the Montgomery
// reduction terms is summed in u64 lanes without intermediate carries (the host picks limbBits
// so that 2·n·(2^w − 1)² + 2^(64−w) < 2^64). Multiplication is FIPS (finely integrated product
// scanning) Montgomery: column k sums a[i]·b[k−i] + m[i]·N[k−i]. Both sums are dot products of a
// forward array with a reversed one (b and N are reversed into scratch slots), computed with
// i64x2.extmul over four limbs at a time.
//
// Memory: numbers live in "slots" of PAD zero limbs followed by n limbs. The zero padding lets
// dot products be extended downwards to a multiple of four terms without bounds checks: every
// extra term pairs with a padded zero. The host guarantees R = 2^(w·n) > 4N, so Montgomery
// products of inputs below 2N stay below 2N and no conditional subtraction is needed inside
// exponentiation; the host reduces the final result.

const PAD: i32 = 4;

/** Reserved slots; user slots start at FIRST_FREE_SLOT. */
const SLOT_N: i32 = 0;
const SLOT_NREV: i32 = 1;
const SLOT_BREV: i32 = 2;
const SLOT_M: i32 = 3;
const SLOT_R2: i32 = 4;
const SLOT_ONE: i32 = 5;
const SLOT_ACC: i32 = 6;
const SLOT_SQ: i32 = 7;
const SLOT_SEL: i32 = 8;
export const FIRST_FREE_SLOT: i32 = 9;

let nLimbs: i32 = 0;
let limbBits: u64 = 0;
let limbMask: u64 = 0;
let n0inv: u64 = 0;
let stride: usize = 0;

// Operation trace: every Montgomery product, squaring and constant-time table read is counted
// and folded (FNV-1a style) into a running hash, so tests can check that the secret-exponent path
// performs the same sequence of operations whatever the exponent bits are.
let traceHash: u64 = 0;
let traceMuls: u32 = 0;
let traceSqrs: u32 = 0;
let traceReads: u32 = 0;

// @ts-ignore: decorator
@inline
function note(op: u64): void {
  traceHash = (traceHash ^ op) * 0x100000001b3;
}

export function traceReset(): void {
  traceHash = 0xcbf29ce484222325;
  traceMuls = 0;
  traceSqrs = 0;
  traceReads = 0;
}

/** 0: hash (low 32 bits), 1: hash (high 32 bits), 2: products, 3: squarings, 4: table reads. */
export function traceValue(i: i32): u32 {
  if (i == 0) return <u32>traceHash;
  if (i == 1) return <u32>(traceHash >> 32);
  if (i == 2) return traceMuls;
  if (i == 3) return traceSqrs;
  return traceReads;
}

export function heapStart(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

export function slotPtr(i: i32): usize {
  return heapStart() + <usize>i * stride + <usize>(PAD << 2);
}

/** Sets the geometry and zeroes slots [0, slotCount). The host then writes N into slot 0. */
export function configure(n: i32, w: u32, negInvN0: u32, slotCount: i32): void {
  nLimbs = n;
  limbBits = <u64>w;
  limbMask = (<u64>1 << <u64>w) - 1;
  n0inv = <u64>negInvN0;
  stride = <usize>((n + PAD) << 2);
  memory.fill(heapStart(), 0, <usize>slotCount * stride);
}

/** Prepares the reversed modulus after the host wrote N into slot 0. */
export function loadModulus(): void {
  const n = nLimbs;
  const src = slotPtr(SLOT_N);
  const dst = slotPtr(SLOT_NREV);
  for (let i = 0; i < n; i++) {
    store<u32>(dst + (<usize>(n - 1 - i) << 2), load<u32>(src + (<usize>i << 2)));
  }
}

/** Σ_j x[j]·y[j] + u[j]·v[j] over `groups` groups of four limbs (two groups per iteration). */
// @ts-ignore: decorator
@inline
function dot2(x: usize, y: usize, u: usize, v: usize, groups: i32): u64 {
  let accXY = i64x2.splat(0);
  let accUV = i64x2.splat(0);
  if (groups & 1) {
    const vx = v128.load(x);
    const vy = v128.load(y);
    const vu = v128.load(u);
    const vv = v128.load(v);
    accXY = i64x2.add(i64x2.extmul_low_i32x4_u(vx, vy), i64x2.extmul_high_i32x4_u(vx, vy));
    accUV = i64x2.add(i64x2.extmul_low_i32x4_u(vu, vv), i64x2.extmul_high_i32x4_u(vu, vv));
    x += 16;
    y += 16;
    u += 16;
    v += 16;
  }
  for (let g = groups >> 1; g > 0; g--) {
    const vx0 = v128.load(x);
    const vy0 = v128.load(y);
    const vu0 = v128.load(u);
    const vv0 = v128.load(v);
    const vx1 = v128.load(x, 16);
    const vy1 = v128.load(y, 16);
    const vu1 = v128.load(u, 16);
    const vv1 = v128.load(v, 16);
    accXY = i64x2.add(
      accXY,
      i64x2.add(
        i64x2.add(i64x2.extmul_low_i32x4_u(vx0, vy0), i64x2.extmul_high_i32x4_u(vx0, vy0)),
        i64x2.add(i64x2.extmul_low_i32x4_u(vx1, vy1), i64x2.extmul_high_i32x4_u(vx1, vy1)),
      ),
    );
    accUV = i64x2.add(
      accUV,
      i64x2.add(
        i64x2.add(i64x2.extmul_low_i32x4_u(vu0, vv0), i64x2.extmul_high_i32x4_u(vu0, vv0)),
        i64x2.add(i64x2.extmul_low_i32x4_u(vu1, vv1), i64x2.extmul_high_i32x4_u(vu1, vv1)),
      ),
    );
    x += 32;
    y += 32;
    u += 32;
    v += 32;
  }
  const acc = i64x2.add(accXY, accUV);
  return <u64>i64x2.extract_lane(acc, 0) + <u64>i64x2.extract_lane(acc, 1);
}

/** Σ_j x[j]·y[j] over `groups` groups of four limbs (two groups per iteration). */
// @ts-ignore: decorator
@inline
function dot1(x: usize, y: usize, groups: i32): u64 {
  let acc0 = i64x2.splat(0);
  let acc1 = i64x2.splat(0);
  if (groups & 1) {
    const vx = v128.load(x);
    const vy = v128.load(y);
    acc0 = i64x2.extmul_low_i32x4_u(vx, vy);
    acc1 = i64x2.extmul_high_i32x4_u(vx, vy);
    x += 16;
    y += 16;
  }
  for (let g = groups >> 1; g > 0; g--) {
    const vx0 = v128.load(x);
    const vy0 = v128.load(y);
    const vx1 = v128.load(x, 16);
    const vy1 = v128.load(y, 16);
    acc0 = i64x2.add(acc0, i64x2.add(i64x2.extmul_low_i32x4_u(vx0, vy0), i64x2.extmul_low_i32x4_u(vx1, vy1)));
    acc1 = i64x2.add(acc1, i64x2.add(i64x2.extmul_high_i32x4_u(vx0, vy0), i64x2.extmul_high_i32x4_u(vx1, vy1)));
    x += 32;
    y += 32;
  }
  const acc = i64x2.add(acc0, acc1);
  return <u64>i64x2.extract_lane(acc, 0) + <u64>i64x2.extract_lane(acc, 1);
}

/**
 * Column k of a², i.e. Σ_{i} a[i]·a[k−i] for i in [lo, k−lo], using symmetry:
 * 2·Σ_{i<k−i} a[i]·a[k−i] + (k even ? a[k/2]² : 0). arev is a reversed into BREV.
 */
// @ts-ignore: decorator
@inline
function squareColumn(a: usize, arev: usize, n: i32, k: i32, lo: i32): u64 {
  const hi = (k - 1) >> 1; // last i with i < k − i
  let s: u64 = 0;
  if (hi >= lo) {
    const groups = (hi - lo + 4) >> 2;
    const start = hi + 1 - (groups << 2);
    const off = n - 1 - k;
    s = dot1(a + <usize>(start << 2), arev + <usize>((off + start) << 2), groups) << 1;
  }
  if ((k & 1) == 0) {
    const mid = <u64>load<u32>(a + (<usize>(k >> 1) << 2));
    s += mid * mid;
  }
  return s;
}

/** r = a²·R⁻¹ mod N (result < 2N for a < 2N). r may alias a. */
function montSqrPtr(r: usize, a: usize): void {
  traceSqrs++;
  note(2);
  const n = nLimbs;
  const arev = slotPtr(SLOT_BREV);
  const m = slotPtr(SLOT_M);
  const nrev = slotPtr(SLOT_NREV);
  const n0 = <u64>load<u32>(slotPtr(SLOT_N));
  for (let i = 0; i < n; i++) {
    store<u32>(arev + (<usize>(n - 1 - i) << 2), load<u32>(a + (<usize>i << 2)));
  }
  memory.fill(m, 0, <usize>(n << 2));
  let carry: u64 = 0;
  for (let k = 0; k < n; k++) {
    const groups = (k + 4) >> 2;
    const start = k + 1 - (groups << 2);
    const off = n - 1 - k;
    let s =
      squareColumn(a, arev, n, k, 0) +
      dot1(m + <usize>(start << 2), nrev + <usize>((off + start) << 2), groups) +
      carry;
    const mk = (<u64>(<u32>s) * n0inv) & limbMask;
    store<u32>(m + (<usize>k << 2), <u32>mk);
    s += mk * n0;
    carry = s >> limbBits;
  }
  const last = 2 * n - 1;
  for (let k = n; k < last; k++) {
    const len = last - k;
    const groups = (len + 3) >> 2;
    const start = n - (groups << 2);
    const off = n - 1 - k;
    const s =
      squareColumn(a, arev, n, k, k - n + 1) +
      dot1(m + <usize>(start << 2), nrev + <usize>((off + start) << 2), groups) +
      carry;
    store<u32>(r + (<usize>(k - n) << 2), <u32>(s & limbMask));
    carry = s >> limbBits;
  }
  store<u32>(r + (<usize>(n - 1) << 2), <u32>carry);
}

/** r = a·b·R⁻¹ mod N (result < 2N for inputs < 2N). r may alias a or b. */
function montMulPtr(r: usize, a: usize, b: usize): void {
  traceMuls++;
  note(1);
  const n = nLimbs;
  const brev = slotPtr(SLOT_BREV);
  const m = slotPtr(SLOT_M);
  const nrev = slotPtr(SLOT_NREV);
  const n0 = <u64>load<u32>(slotPtr(SLOT_N));
  for (let i = 0; i < n; i++) {
    store<u32>(brev + (<usize>(n - 1 - i) << 2), load<u32>(b + (<usize>i << 2)));
  }
  memory.fill(m, 0, <usize>(n << 2));
  let carry: u64 = 0;
  for (let k = 0; k < n; k++) {
    const groups = (k + 4) >> 2;
    const start = k + 1 - (groups << 2); // in [-3, 0]: padded zeros fill the gap
    const off = n - 1 - k;
    let s =
      dot2(
        a + <usize>(start << 2),
        brev + <usize>((off + start) << 2),
        m + <usize>(start << 2),
        nrev + <usize>((off + start) << 2),
        groups,
      ) + carry;
    const mk = (<u64>(<u32>s) * n0inv) & limbMask;
    store<u32>(m + (<usize>k << 2), <u32>mk);
    s += mk * n0;
    carry = s >> limbBits;
  }
  const last = 2 * n - 1;
  for (let k = n; k < last; k++) {
    const len = last - k;
    const groups = (len + 3) >> 2;
    const start = n - (groups << 2);
    const off = n - 1 - k;
    const s =
      dot2(
        a + <usize>(start << 2),
        brev + <usize>((off + start) << 2),
        m + <usize>(start << 2),
        nrev + <usize>((off + start) << 2),
        groups,
      ) + carry;
    store<u32>(r + (<usize>(k - n) << 2), <u32>(s & limbMask));
    carry = s >> limbBits;
  }
  store<u32>(r + (<usize>(n - 1) << 2), <u32>carry);
}

export function montMul(r: i32, a: i32, b: i32): void {
  montMulPtr(slotPtr(r), slotPtr(a), slotPtr(b));
}

/** slot ← slot·R mod N (slot holds a value < N in normal form; R² mod N is in SLOT_R2). */
export function montSqr(r: i32, a: i32): void {
  montSqrPtr(slotPtr(r), slotPtr(a));
}

export function toMont(slot: i32): void {
  const p = slotPtr(slot);
  montMulPtr(p, p, slotPtr(SLOT_R2));
}

/** slot ← slot·R⁻¹ mod N, result in [0, N] (the host maps N to 0). */
export function fromMont(slot: i32): void {
  const one = slotPtr(SLOT_ONE);
  memory.fill(one, 0, <usize>(nLimbs << 2));
  store<u32>(one, 1);
  const p = slotPtr(slot);
  montMulPtr(p, p, one);
}

/** Fills slots first+1 … first+count−1 with first^3, first^5, … (Montgomery form). */
export function oddPowers(first: i32, count: i32): void {
  if (count <= 1) return;
  const sq = slotPtr(SLOT_SQ);
  const p0 = slotPtr(first);
  montSqrPtr(sq, p0);
  for (let j = 1; j < count; j++) {
    montMulPtr(slotPtr(first + j), slotPtr(first + j - 1), sq);
  }
}

/**
 * Runs a sliding-window schedule into SLOT_ACC: `steps` holds stepCount pairs (bit position,
 * slot) sorted by position descending. At each position the accumulator is squared, then
 * multiplied by every slot scheduled there. Requires stepCount ≥ 1. Returns SLOT_ACC.
 */
export function runSchedule(steps: usize, stepCount: i32, topBits: i32): i32 {
  const acc = slotPtr(SLOT_ACC);
  const bytes = <usize>(nLimbs << 2);
  let started = false;
  let s = 0;
  for (let pos = topBits - 1; pos >= 0; pos--) {
    if (started) montSqrPtr(acc, acc);
    while (s < stepCount && load<i32>(steps + (<usize>s << 3)) == pos) {
      const src = slotPtr(load<i32>(steps + (<usize>s << 3), 4));
      if (started) {
        montMulPtr(acc, acc, src);
      } else {
        memory.copy(acc, src, bytes);
        started = true;
      }
      s++;
    }
  }
  return SLOT_ACC;
}

/**
 * Fixed-base product by Yao's method: Π_k entry_k^digit_k with digits (u16) below bucketCount.
 * Entries (Montgomery form) occupy slots entryFirst…; buckets use slots bucketFirst…; flagsPtr
 * points at bucketCount scratch bytes. Each entry joins bucket[digit]; then
 * Π_d bucket[d]^d is collapsed with running products from the top digit down.
 * Returns SLOT_ACC, or −1 when every digit is zero (the product is 1).
 */
export function yaoProduct(
  entryFirst: i32,
  entryCount: i32,
  digitsPtr: usize,
  bucketFirst: i32,
  bucketCount: i32,
  flagsPtr: usize,
): i32 {
  const bytes = <usize>(nLimbs << 2);
  memory.fill(flagsPtr, 0, <usize>bucketCount);
  for (let k = 0; k < entryCount; k++) {
    const d = <i32>load<u16>(digitsPtr + (<usize>k << 1));
    if (d == 0) continue;
    const bucket = slotPtr(bucketFirst + d);
    const entry = slotPtr(entryFirst + k);
    if (load<u8>(flagsPtr + <usize>d) != 0) {
      montMulPtr(bucket, bucket, entry);
    } else {
      memory.copy(bucket, entry, bytes);
      store<u8>(flagsPtr + <usize>d, 1);
    }
  }
  const acc = slotPtr(SLOT_ACC);
  const running = slotPtr(SLOT_SQ);
  let haveRunning = false;
  let haveAcc = false;
  for (let d = bucketCount - 1; d >= 1; d--) {
    if (load<u8>(flagsPtr + <usize>d) != 0) {
      const bucket = slotPtr(bucketFirst + d);
      if (haveRunning) {
        montMulPtr(running, running, bucket);
      } else {
        memory.copy(running, bucket, bytes);
        haveRunning = true;
      }
    }
    if (haveRunning) {
      if (haveAcc) {
        montMulPtr(acc, acc, running);
      } else {
        memory.copy(acc, running, bytes);
        haveAcc = true;
      }
    }
  }
  return haveAcc ? SLOT_ACC : -1;
}

/**
 * Fixed-base table: slot first holds g (Montgomery form); fills slots first+1 … first+count−1
 * with g^(2^(w·k)) by repeated squaring.
 */
export function squareChain(first: i32, count: i32, w: i32): void {
  const bytes = <usize>(nLimbs << 2);
  for (let k = 1; k < count; k++) {
    const dst = slotPtr(first + k);
    memory.copy(dst, slotPtr(first + k - 1), bytes);
    for (let s = 0; s < w; s++) montSqrPtr(dst, dst);
  }
}

/**
 * Constant-time tables for secret exponents: for each of `bases` bases, the host wrote the base
 * (Montgomery form) into slot first + b·2^w + 1; fills entries j = 0 … 2^w − 1 with base^j
 * (entry 0 is 1 in Montgomery form). The sequence of operations depends only on (bases, w).
 */
export function ctTables(first: i32, bases: i32, w: i32): void {
  const size = 1 << w;
  const bytes = <usize>(nLimbs << 2);
  const one = slotPtr(SLOT_ONE);
  memory.fill(one, 0, bytes);
  store<u32>(one, 1);
  for (let b = 0; b < bases; b++) {
    const t = first + b * size;
    const e0 = slotPtr(t);
    memory.copy(e0, one, bytes);
    montMulPtr(e0, e0, slotPtr(SLOT_R2));
    for (let j = 2; j < size; j++) montMulPtr(slotPtr(t + j), slotPtr(t + j - 1), slotPtr(t + 1));
  }
}

/** All ones when j == digit, else zero, without a branch. */
// @ts-ignore: decorator
@inline
function eqMask(j: i32, digit: u32): u32 {
  const x = <u32>j ^ digit;
  return ((x | (0 - x)) >> 31) - 1;
}

/**
 * SLOT_SEL ← entry `digit` of the table at slots first … first + size − 1, reading every entry
 * and combining with masks: memory accesses and control flow do not depend on `digit`.
 */
function ctSelect(first: i32, size: i32, digit: u32): void {
  // Only the n limbs of each entry are read and written: the padding of neighbouring slots
  // must stay zero (the products rely on it) and may lie beyond the zeroed region.
  const n = nLimbs;
  const groups = n >> 2;
  const tail = groups << 2;
  const sel = slotPtr(SLOT_SEL);
  memory.fill(sel, 0, <usize>(n << 2));
  for (let j = 0; j < size; j++) {
    traceReads++;
    note(<u64>(16 + j));
    const mask = eqMask(j, digit);
    const vm = i32x4.splat(<i32>mask);
    const src = slotPtr(first + j);
    for (let g = 0; g < groups; g++) {
      const off = <usize>g << 4;
      v128.store(sel + off, v128.or(v128.load(sel + off), v128.and(v128.load(src + off), vm)));
    }
    for (let i = tail; i < n; i++) {
      const off = <usize>i << 2;
      store<u32>(sel + off, load<u32>(sel + off) | (load<u32>(src + off) & mask));
    }
  }
}

/**
 * Entry `digit` of the table at slots first … first + size − 1 ← SLOT_SEL, writing every entry
 * (each keeps its value or takes SLOT_SEL's under a mask): the counterpart of ctSelect.
 */
function ctStore(first: i32, size: i32, digit: u32): void {
  const n = nLimbs;
  const groups = n >> 2;
  const tail = groups << 2;
  const sel = slotPtr(SLOT_SEL);
  for (let j = 0; j < size; j++) {
    traceReads++;
    note(<u64>(0x10000 + j));
    const mask = eqMask(j, digit);
    const vm = i32x4.splat(<i32>mask);
    const dst = slotPtr(first + j);
    for (let g = 0; g < groups; g++) {
      const off = <usize>g << 4;
      v128.store(dst + off, v128.bitselect(v128.load(sel + off), v128.load(dst + off), vm));
    }
    for (let i = tail; i < n; i++) {
      const off = <usize>i << 2;
      store<u32>(dst + off, (load<u32>(sel + off) & mask) | (load<u32>(dst + off) & ~mask));
    }
  }
}

/**
 * Yao's fixed-base product for SECRET digits into SLOT_ACC: Π_k entry_k^digit_k (digits u16 below
 * bucketCount, every entry of every exponent present, zero digits included). Each entry is
 * multiplied into the bucket of its digit, read and written back with ctSelect/ctStore, so which
 * bucket it joins leaves no trace in the memory accesses; bucket 0 collects the zero digits and is
 * dropped. The buckets start at 1 and the collapse Π_d bucket[d]^d always takes 2·(bucketCount − 2)
 * products: the operation sequence depends only on (entryCount, bucketCount, modulus size).
 */
export function yaoProductSecret(entryFirst: i32, entryCount: i32, digitsPtr: usize, bucketFirst: i32, bucketCount: i32): i32 {
  const bytes = <usize>(nLimbs << 2);
  const one = slotPtr(SLOT_ONE);
  memory.fill(one, 0, bytes);
  store<u32>(one, 1);
  const sel = slotPtr(SLOT_SEL);
  memory.copy(sel, one, bytes);
  montMulPtr(sel, sel, slotPtr(SLOT_R2)); // 1 in Montgomery form
  for (let d = 0; d < bucketCount; d++) memory.copy(slotPtr(bucketFirst + d), sel, bytes);
  for (let k = 0; k < entryCount; k++) {
    const d = <u32>load<u16>(digitsPtr + (<usize>k << 1));
    ctSelect(bucketFirst, bucketCount, d);
    montMulPtr(sel, sel, slotPtr(entryFirst + k));
    ctStore(bucketFirst, bucketCount, d);
  }
  const acc = slotPtr(SLOT_ACC);
  const running = slotPtr(SLOT_SQ);
  memory.copy(running, slotPtr(bucketFirst + bucketCount - 1), bytes);
  memory.copy(acc, running, bytes);
  for (let d = bucketCount - 2; d >= 1; d--) {
    montMulPtr(running, running, slotPtr(bucketFirst + d));
    montMulPtr(acc, acc, running);
  }
  return SLOT_ACC;
}

/**
 * Fixed-window, always-multiply multi-exponentiation for secret exponents into SLOT_ACC:
 * Π_b base_b^e_b with tables from ctTables. Exponent b occupies `words` + 1 little-endian u32
 * words at expPtr + 4·b·(words + 1) (the extra word is zero). For each of `windows` windows,
 * from the top: w squarings, then per base one constant-time table read and one product
 * (digit 0 multiplies by 1). The operation sequence depends only on (bases, w, windows).
 */
export function ctMultiPow(first: i32, bases: i32, w: i32, expPtr: usize, words: i32, windows: i32): i32 {
  const size = 1 << w;
  const bytes = <usize>(nLimbs << 2);
  const acc = slotPtr(SLOT_ACC);
  const sel = slotPtr(SLOT_SEL);
  memory.copy(acc, slotPtr(first), bytes);
  const dmask: u32 = <u32>size - 1;
  for (let win = windows - 1; win >= 0; win--) {
    for (let s = 0; s < w; s++) montSqrPtr(acc, acc);
    const bit = win * w;
    const word = bit >> 5;
    const shift = <u32>(bit & 31);
    for (let b = 0; b < bases; b++) {
      const at = expPtr + (<usize>(b * (words + 1) + word) << 2);
      const lo = load<u32>(at) >> shift;
      const hi = shift == 0 ? 0 : load<u32>(at, 4) << (32 - shift);
      ctSelect(first + b * size, size, (lo | hi) & dmask);
      montMulPtr(acc, acc, sel);
    }
  }
  return SLOT_ACC;
}

/**
 * Safe-prime sieve over the interval q = q0 + 2k, k < count (q0 odd, `words` little-endian u32
 * words at qPtr). For each of `primeCount` odd primes r (u32 at primesPtr, all below q0) it marks
 * flags[k] = 1 where r divides q or r divides 2q + 1, i.e. q ≡ 0 or q ≡ (r − 1)/2 (mod r): two
 * arithmetic progressions of stride r in k, Eratosthenes-style.
 */
export function sieveSafe(qPtr: usize, words: i32, primesPtr: usize, primeCount: i32, flagsPtr: usize, count: i32): void {
  memory.fill(flagsPtr, 0, <usize>count);
  for (let i = 0; i < primeCount; i++) {
    const r = <u64>load<u32>(primesPtr + (<usize>i << 2));
    let res: u64 = 0;
    for (let j = words - 1; j >= 0; j--) {
      res = ((res << 32) | <u64>load<u32>(qPtr + (<usize>j << 2))) % r;
    }
    const inv2 = (r + 1) >> 1; // 2⁻¹ mod r
    const half = (r - 1) >> 1;
    // q0 + 2k ≡ t  ⇔  k ≡ (t − q0)·2⁻¹ (mod r)
    const k0 = <i32>((((r - res) % r) * inv2) % r);
    const k1 = <i32>((((half + r - res) % r) * inv2) % r);
    const step = <i32>r;
    for (let k = k0; k < count; k += step) store<u8>(flagsPtr + <usize>k, 1);
    for (let k = k1; k < count; k += step) store<u8>(flagsPtr + <usize>k, 1);
  }
}
