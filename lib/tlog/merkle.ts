import { sha256 } from "@noble/hashes/sha2.js";

/**
 * RFC 6962 / RFC 9162 §2.1 Merkle tree hashing, proofs and their verification. Pure: the tree is
 * read through a `NodeReader` (complete subtrees only), so the same code runs over an in-memory
 * array in tests and over database tiles in lib/tlog/store.ts.
 */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256(""). */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

export function hashLeaf(data: Uint8Array): Hash {
  const buf = new Uint8Array(1 + data.length);
  buf[0] = 0x00;
  buf.set(data, 1);
  return sha256(buf);
}

export function hashChildren(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/**
 * The hash of the complete subtree of 2^level leaves starting at leaf index·2^level (level 0: the
 * leaf hash). Callers only ask for nodes that are complete in the tree they prove against.
 */
export type NodeReader = (level: number, index: number) => Hash;

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isAlignedPowerOfTwo(start: number, size: number): boolean {
  return size > 0 && (size & (size - 1)) === 0 && start % size === 0;
}

function log2(n: number): number {
  return Math.round(Math.log2(n));
}

/** MTH(D[start:end]) for any range, built from complete subtrees. */
export function rangeHash(read: NodeReader, start: number, end: number): Hash {
  const n = end - start;
  if (n <= 0) throw new RangeError("empty range");
  if (isAlignedPowerOfTwo(start, n)) return read(log2(n), start / n);
  const k = splitPoint(n);
  return hashChildren(rangeHash(read, start, start + k), rangeHash(read, start + k, end));
}

export function rootHash(read: NodeReader, size: number): Hash {
  return size === 0 ? EMPTY_ROOT : rangeHash(read, 0, size);
}

/** RFC 6962 §2.1.1 PATH(m, D[0:n]) (RFC 9162 §2.1.3.1). */
export function inclusionProof(read: NodeReader, index: number, size: number): Hash[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const path = (m: number, start: number, end: number): Hash[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...path(m, start, start + k), rangeHash(read, start + k, end)];
    return [...path(m - k, start + k, end), rangeHash(read, start, start + k)];
  };
  return path(index, 0, size);
}

/** RFC 6962 §2.1.2 PROOF(m, D[0:n]) (RFC 9162 §2.1.4.1). */
export function consistencyProof(read: NodeReader, first: number, second: number): Hash[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  if (first === 0 || first === second) return [];
  const sub = (m: number, start: number, end: number, complete: boolean): Hash[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [rangeHash(read, start, end)];
    const k = splitPoint(n);
    if (m <= k) return [...sub(m, start, start + k, complete), rangeHash(read, start + k, end)];
    return [...sub(m - k, start + k, end, false), rangeHash(read, start, start + k)];
  };
  return sub(first, 0, second, true);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export class ProofError extends Error {}

function checkHashes(hashes: Hash[]) {
  for (const h of hashes) if (h.length !== HASH_SIZE) throw new ProofError("proof hash is not 32 bytes");
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof implies; throws ProofError when the proof is malformed. */
export function rootFromInclusionProof(index: number, size: number, leafHash: Hash, proof: Hash[]): Hash {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new ProofError(`leaf index ${index} is not below tree size ${size}`);
  if (leafHash.length !== HASH_SIZE) throw new ProofError("leaf hash is not 32 bytes");
  checkHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new ProofError("inclusion proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new ProofError("inclusion proof is too short");
  return r;
}

export function verifyInclusion(index: number, size: number, leafHash: Hash, proof: Hash[], root: Hash): boolean {
  try {
    return equalBytes(rootFromInclusionProof(index, size, leafHash, proof), root);
  } catch (err) {
    if (err instanceof ProofError) return false;
    throw err;
  }
}

/** RFC 9162 §2.1.4.2. Returns true only when the proof shows `root1` (size1) is a prefix of `root2` (size2). */
export function verifyConsistency(size1: number, size2: number, root1: Hash, root2: Hash, proof: Hash[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((h) => h.length !== HASH_SIZE)) return false;
  // A proof from the empty tree proves nothing (transparency-dev's rule); equal sizes need equal roots.
  if (size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (proof.length === 0) return false;
  let path = proof;
  // If first is an exact power of two, prepend first_hash to the consistency path.
  if ((size1 & (size1 - 1)) === 0) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equalBytes(fr, root1) && equalBytes(sr, root2) && sn === 0;
}

/** A NodeReader over leaf hashes held in memory (tests, small trees). Memoises interior nodes. */
export function memoryReader(leafHashes: Hash[]): NodeReader {
  const levels: Map<number, Hash>[] = [];
  const read: NodeReader = (level, index) => {
    if (level === 0) {
      const h = leafHashes[index];
      if (!h) throw new RangeError(`no leaf ${index}`);
      return h;
    }
    const memo = (levels[level] ??= new Map());
    let h = memo.get(index);
    if (!h) {
      h = hashChildren(read(level - 1, 2 * index), read(level - 1, 2 * index + 1));
      memo.set(index, h);
    }
    return h;
  };
  return read;
}
