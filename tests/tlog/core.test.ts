import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { canonicalize, JcsError } from "@/lib/tlog/jcs";
import { consistencyProof, EMPTY_ROOT, hashChildren, hashLeaf, inclusionProof, memoryReader, rootHash, verifyConsistency, verifyInclusion } from "@/lib/tlog/merkle";
import {
  ALG_COSIGNATURE_V1,
  cosign,
  ed25519Verify,
  encodeVkey,
  formatCheckpoint,
  NoteError,
  openNote,
  parseCheckpoint,
  parseSkey,
  parseVkey,
  signerFromSeed,
  signNote,
} from "@/lib/tlog/note";
import { encodeTileIndex, parseTilePath, tileLayout, tilePath } from "@/lib/tlog/tiles";

/** Known-answer vectors: tests/fixtures/tlog/README.md names every source, commit and licence. */
const V = JSON.parse(readFileSync(join(__dirname, "../fixtures/tlog/vectors.json"), "utf8"));
const h = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const hx = (b: Uint8Array) => Buffer.from(b).toString("hex");

const referenceLeaves: Uint8Array[] = V.reference_tree.leaves_hex.map(h);
const byteLeaves = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array([i % 256]));
const leavesFor = (kind: string, n: number) => (kind === "reference" ? referenceLeaves.slice(0, n) : byteLeaves(n));

/** An independent, naive MTH straight from RFC 6962 §2.1 (recursion over the leaf data). */
function naiveMth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(naiveMth(leaves.slice(0, k)), naiveMth(leaves.slice(k)));
}

describe("RFC 6962 hashing", () => {
  it("matches the hasher vectors", () => {
    for (const v of V.hasher) {
      const got = v.kind === "empty" ? EMPTY_ROOT : v.kind === "leaf" ? hashLeaf(h(v.input_hex)) : hashChildren(h(v.left_hex), h(v.right_hex));
      expect(hx(got), v.id).toBe(v.expect_hex);
    }
  });

  it("gives the reference roots for sizes 0..8 and every node hash", () => {
    const hashes = referenceLeaves.map(hashLeaf);
    expect(hashes.map(hx)).toEqual(V.reference_tree.leaf_hashes_hex);
    const read = memoryReader(hashes);
    for (let n = 0; n <= 8; n++) expect(hx(rootHash(read, n)), `size ${n}`).toBe(V.reference_tree.roots_hex[n]);
    V.reference_tree.node_hashes_hex.forEach((level: string[], l: number) => level.forEach((node, i) => expect(hx(read(l, i))).toBe(node)));
  });

  it("gives the larger trees' roots", () => {
    const hashes = byteLeaves(V.larger_trees.max_size).map(hashLeaf);
    const read = memoryReader(hashes);
    for (const r of V.larger_trees.roots) expect(hx(rootHash(read, r.size)), r.id).toBe(r.root_hex);
  });
});

describe("proof generation", () => {
  it("produces the published inclusion and consistency paths", () => {
    for (const p of V.proof_generation) {
      const max = p.kind === "inclusion" ? p.tree_size : p.size2;
      const read = memoryReader(leavesFor(p.leaves, max).map(hashLeaf));
      const path = p.kind === "inclusion" ? inclusionProof(read, p.leaf_index, p.tree_size) : consistencyProof(read, p.size1, p.size2);
      expect(path.map(hx), p.id).toEqual(p.path_hex);
    }
  });

  it("every inclusion and consistency pair of the reference tree verifies, and a changed hash does not", () => {
    const hashes = referenceLeaves.map(hashLeaf);
    const read = memoryReader(hashes);
    for (let n = 1; n <= 8; n++) {
      const root = rootHash(read, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(read, m, n);
        expect(verifyInclusion(m, n, hashes[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, hashes[(m + 1) % 8]!, proof, root)).toBe(m === (m + 1) % 8);
        if (proof.length > 1) expect(verifyInclusion(m, n, hashes[m]!, [...proof].reverse(), root)).toBe(false);
      }
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(read, m, n);
        // From the empty tree nothing is proven; from every other size the proof verifies.
        expect(verifyConsistency(m, n, rootHash(read, m), root, proof), `${m}->${n}`).toBe(m > 0);
        if (m > 0 && m < n) {
          const forked = memoryReader(hashes.map((x, i) => (i === m - 1 ? hashLeaf(new Uint8Array([0xff])) : x)));
          expect(verifyConsistency(m, n, rootHash(forked, m), root, proof)).toBe(false);
        }
      }
    }
  });
});

describe("proof verification vectors", () => {
  it("inclusion: valid proofs verify, every must-reject case is refused", () => {
    for (const v of V.inclusion) {
      const ok = verifyInclusion(v.leaf_index, v.tree_size, h(v.leaf_hash_hex), v.path_hex.map(h), h(v.root_hex));
      expect(ok, v.id).toBe(v.expect_strict ?? v.expect);
    }
  });

  it("consistency: valid proofs verify, every must-reject case is refused", () => {
    for (const v of V.consistency) {
      const ok = verifyConsistency(v.size1, v.size2, h(v.root1_hex), h(v.root2_hex), v.path_hex.map(h));
      expect(ok, v.id).toBe(v.expect_strict ?? v.expect);
    }
  });
});

describe("property: proofs up to 10^4 leaves against a naive recomputation", () => {
  // A deterministic PRNG so a failure names a reproducible case.
  let seed = 0x2545f491;
  const rnd = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const N = 10_000;
  const leaves = Array.from({ length: N }, (_, i) => new TextEncoder().encode(`leaf-${i}-${(i * 2654435761) >>> 0}`));
  const hashes = leaves.map(hashLeaf);
  const read = memoryReader(hashes);
  const naiveRoots = new Map<number, Uint8Array>();
  const naive = (n: number) => {
    let r = naiveRoots.get(n);
    if (!r) naiveRoots.set(n, (r = naiveMth(leaves.slice(0, n))));
    return r;
  };

  it("roots agree with the naive MTH at sampled sizes and all sizes up to 300", () => {
    const sizes = [...Array.from({ length: 300 }, (_, i) => i), 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 9999, N, ...Array.from({ length: 20 }, () => rnd(N) + 1)];
    for (const n of sizes) expect(hx(rootHash(read, n)), `size ${n}`).toBe(hx(naive(n)));
  });

  it("inclusion and consistency proofs verify against naive roots; wrong index or size fails", () => {
    const sizes = [1, 2, 3, 255, 256, 257, N, ...Array.from({ length: 25 }, () => rnd(N) + 1)];
    for (let t = 0; t < 400; t++) {
      const n = sizes[t % sizes.length]!;
      const m = rnd(n);
      const root = naive(n);
      const proof = inclusionProof(read, m, n);
      expect(verifyInclusion(m, n, hashes[m]!, proof, root)).toBe(true);
      if (n > 1) expect(verifyInclusion((m + 1) % n, n, hashes[m]!, proof, root)).toBe(false);
      const first = t % 4 === 0 ? sizes[rnd(sizes.length)]! % (n + 1) : rnd(Math.min(n, 300) + 1);
      const cproof = consistencyProof(read, first, n);
      const root1 = naive(first);
      expect(verifyConsistency(first, n, root1, root, cproof), `${first}->${n}`).toBe(first > 0);
      if (first > 0 && first < n) {
        const forked = naiveMth([...leaves.slice(0, first - 1), new Uint8Array([0xff])]);
        expect(verifyConsistency(first, n, forked, root, cproof)).toBe(false);
      }
    }
  });
});

describe("tiles", () => {
  it("encodes and parses the published paths", () => {
    for (const p of V.tiles.paths) {
      expect(tilePath({ level: p.level, index: p.index, width: p.width }), p.id).toBe(p.path);
      expect(parseTilePath(p.path.slice("tile/".length)), p.id).toEqual(p.width === undefined ? { level: p.level, index: p.index } : { level: p.level, index: p.index, width: p.width });
    }
    expect(encodeTileIndex(0)).toBe("000");
  });

  it("refuses non-canonical paths", () => {
    for (const bad of ["0/x000/001", "0/1", "0/0001", "0/000.p/0", "0/000.p/256", "0/000.p/007", "64/000", "01/000", "x/000", "0/x001", "0/001/x002", "entries", "0/000.p"]) expect(parseTilePath(bad), bad).toBeNull();
  });

  it("lays out full and partial tiles per level", () => {
    for (const s of V.tiles.tile_sets) {
      const want = Object.entries(s.levels as Record<string, [number, number]>).map(([l, [full, partial]]) => ({ level: Number(l), full, partial }));
      expect(tileLayout(s.tree_size), s.id).toEqual(want);
    }
  });
});

describe("signed notes and checkpoints", () => {
  it("verifier keys: key ids and malformed keys", () => {
    for (const v of V.vkeys) {
      if (v.expect) {
        const k = parseVkey(v.vkey);
        if (v.key_id_hex) expect(hx(k.keyId)).toBe(v.key_id_hex);
        expect(encodeVkey(k)).toBe(v.vkey);
      } else expect(() => parseVkey(v.vkey), v.id).toThrow(NoteError);
    }
  });

  it("signer keys derive their verifier keys", () => {
    for (const k of V.key_pairs) expect(encodeVkey(parseSkey(k.skey)), k.id).toBe(k.vkey);
    for (const [name, d] of Object.entries(V.derived_keys as Record<string, { vkey: string; seed_hex: string }>)) {
      if (name === "note") continue;
      expect(encodeVkey(signerFromSeed(name, h(d.seed_hex)))).toBe(d.vkey);
    }
  });

  it("opens the note vectors: accepted ones name their verified keys, the others are refused", () => {
    for (const n of V.notes) {
      const keys = n.vkeys.map((k: string) => parseVkey(k));
      const note = n.note ?? new Uint8Array(Buffer.from(n.note_b64, "base64"));
      if (n.expect === "ok") {
        const r = openNote(note, keys);
        if (n.verified) expect(r.verified.map((x) => x.name).sort(), n.id).toEqual([...n.verified].sort());
      } else expect(() => openNote(note, keys), n.id).toThrow(NoteError);
    }
  });

  it("parses the checkpoint vectors", () => {
    for (const c of V.checkpoints) {
      if (c.expect === "ok") {
        const p = parseCheckpoint(c.text);
        expect([p.origin, p.size, Buffer.from(p.rootHash).toString("base64")]).toEqual([c.origin, BigInt(c.size), c.root_b64]);
        expect(formatCheckpoint(p)).toBe(c.text);
      } else expect(() => parseCheckpoint(c.text), c.id).toThrow(NoteError);
    }
  });

  it("signs a checkpoint the way the derived vectors do (deterministic Ed25519)", () => {
    const d = V.derived_keys["example.com/tlog-holdout"];
    const signer = signerFromSeed("example.com/tlog-holdout", h(d.seed_hex));
    const vec = V.notes.find((n: { id: string }) => n.id === "derived-checkpoint-ref-size-8");
    const text = vec.note.slice(0, vec.note.indexOf("\n\n") + 1);
    expect(signNote(text, signer)).toBe(vec.note);
    expect(parseCheckpoint(text).rootHash).toEqual(h(V.reference_tree.roots_hex[8]));
  });

  it("cosignatures (tlog-cosignature/v1): verify with the 0x04 key, refuse a moved or altered one", () => {
    const log = signerFromSeed("example.com/log", new Uint8Array(32).fill(1));
    const w = signerFromSeed("witness.example/w9", new Uint8Array(32).fill(2), ALG_COSIGNATURE_V1);
    const text = formatCheckpoint({ origin: "example.com/log", size: 5n, rootHash: new Uint8Array(32).fill(7), extensions: [] });
    const note = signNote(text, log) + cosign(text, w, 1_700_000_000n);
    const keys = [parseVkey(encodeVkey(log)), parseVkey(encodeVkey(w), [ALG_COSIGNATURE_V1])];
    const r = openNote(note, keys);
    expect(r.verified.map((x) => [x.name, x.timestamp])).toEqual([["example.com/log", undefined], ["witness.example/w9", 1_700_000_000n]]);
    const other = formatCheckpoint({ origin: "example.com/log", size: 6n, rootHash: new Uint8Array(32).fill(7), extensions: [] });
    const moved = signNote(other, log) + cosign(text, w, 1_700_000_000n).trimEnd() + "\n";
    expect(() => openNote(moved, keys)).toThrow(/witness.example\/w9/);
    expect(() => parseVkey(encodeVkey(w))).toThrow(NoteError);
  });

  it("Ed25519 (RFC 8032, Wycheproof): strict verification", () => {
    for (const v of V.ed25519) expect(ed25519Verify(h(v.sig_hex), h(v.msg_hex), h(v.pk_hex)), v.id).toBe(v.expect);
  });
});

describe("JCS (RFC 8785)", () => {
  it("sorts members by UTF-16 code units and serializes numbers and strings as ECMAScript does", () => {
    expect(canonicalize({ b: 1, a: [true, null, "x"], "\u20ac": 1, "\ud83d\ude00": 2, "\r": 3, "1": 4 })).toBe('{"\\r":3,"1":4,"a":[true,null,"x"],"b":1,"€":1,"😀":2}');
    expect(canonicalize([1e21, 1e-7, -0, 0.1 + 0.2, 333333333.33333329, 4.5])).toBe("[1e+21,1e-7,0,0.30000000000000004,333333333.3333333,4.5]");
    expect(canonicalize({ s: "\u2028\u0000\"\\/é" })).toBe('{"s":"\u2028\\u0000\\"\\\\/é"}');
    expect(canonicalize({ a: undefined, b: { d: 1, c: 2 } })).toBe('{"b":{"c":2,"d":1}}');
  });
  it("refuses what I-JSON forbids", () => {
    expect(() => canonicalize({ x: Number.NaN })).toThrow(JcsError);
    expect(() => canonicalize({ x: Infinity })).toThrow(JcsError);
    expect(() => canonicalize({ x: "\ud800" })).toThrow(JcsError);
    expect(() => canonicalize({ x: 1n })).toThrow(JcsError);
  });
});
