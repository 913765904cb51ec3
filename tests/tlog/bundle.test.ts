import { describe, expect, it } from "vitest";
import { verifyBundleEntry, type BundleEntry } from "@/lib/tlog/bundle";
import { committedLeaf } from "@/lib/tlog/commitment";
import { canonicalize } from "@/lib/tlog/jcs";
import { hashLeaf, inclusionProof, memoryReader, rootHash } from "@/lib/tlog/merkle";
import { b64, encodeVkey, formatCheckpoint, generateSigner, signNote, type Signer } from "@/lib/tlog/note";

const ORIGIN = "countersign.test/log";
const enc = new TextEncoder();

/** A log of `n` audit leaves and the bundle entry the decisions route would answer for leaf `index`. */
function bundleFor(index: number, n: number, signer: Signer, rootOverride?: Uint8Array): BundleEntry {
  const events = Array.from({ length: n }, (_, i) => ({ kind: "audit", id: `evt_${i}`, action: "api_key.created", at: `2026-12-06T10:00:0${i % 10}.000Z` }));
  const leaves = events.map((e) => canonicalize(e));
  const read = memoryReader(leaves.map((l) => hashLeaf(enc.encode(l))));
  const root = rootOverride ?? rootHash(read, n);
  const note = signNote(formatCheckpoint({ origin: ORIGIN, size: BigInt(n), rootHash: root, extensions: [] }), signer);
  const proof = ["c2sp.org/tlog-proof@v1", `extra ${b64(enc.encode(leaves[index]!))}`, `index ${index}`, ...inclusionProof(read, index, n).map(b64), "", note].join("\n");
  return { leaf_index: index, kind: "audit", event: events[index], leaf: leaves[index]!, tlog_proof: proof };
}

describe("verifyBundleEntry (the dashboard's in-browser Verify)", () => {
  const signer = generateSigner(ORIGIN);
  const vkey = encodeVkey(signer);

  it("verifies a leaf under the signed checkpoint", () => {
    const result = verifyBundleEntry(bundleFor(5, 7, signer), vkey);
    expect(result).toMatchObject({ ok: true, leafIndex: 5, treeSize: 7, origin: ORIGIN });
    const single = verifyBundleEntry(bundleFor(0, 1, signer), vkey);
    expect(single).toMatchObject({ ok: true, leafIndex: 0, treeSize: 1 });
  });

  it("a tampered leaf fails as a leaf mismatch, or the inclusion proof when the proof's copy is tampered too", () => {
    const entry = bundleFor(3, 7, signer);
    const tamperedLeaf = entry.leaf.replace("api_key.created", "api_key.revoked");
    const shown = verifyBundleEntry({ ...entry, leaf: tamperedLeaf }, vkey);
    expect(shown).toMatchObject({ ok: false, failure: "leaf" });

    const tamperedEvent = { ...(entry.event as object), action: "api_key.revoked" };
    expect(verifyBundleEntry({ ...entry, event: tamperedEvent }, vkey)).toMatchObject({ ok: false, failure: "leaf" });

    const proof = entry.tlog_proof.replace(/^extra .*$/m, `extra ${b64(enc.encode(tamperedLeaf))}`);
    const both = verifyBundleEntry({ ...entry, event: JSON.parse(tamperedLeaf), leaf: tamperedLeaf, tlog_proof: proof }, vkey);
    expect(both).toMatchObject({ ok: false, failure: "inclusion" });
    if (!both.ok) expect(both.message).toContain("does not lead to the checkpoint root");
  });

  it("a checkpoint signed by another key fails the signature check against the pinned key", () => {
    const other = generateSigner(ORIGIN);
    const result = verifyBundleEntry(bundleFor(2, 4, other), vkey);
    expect(result).toMatchObject({ ok: false, failure: "signature" });
    if (!result.ok) expect(result.message).toContain("not signed by the log key");
    expect(verifyBundleEntry(bundleFor(2, 4, other), "not-a-vkey")).toMatchObject({ ok: false, failure: "key" });
  });

  it("a validly signed checkpoint with a different root fails the inclusion proof", () => {
    const wrongRoot = new Uint8Array(32).fill(7);
    const result = verifyBundleEntry(bundleFor(2, 4, signer, wrongRoot), vkey);
    expect(result).toMatchObject({ ok: false, failure: "inclusion" });
    if (!result.ok) expect(result.message).toContain(b64(wrongRoot));
  });

  it("an altered checkpoint root (signature no longer matches) and a malformed proof are reported as such", () => {
    const entry = bundleFor(1, 3, signer);
    const lines = entry.tlog_proof.split("\n");
    const cpStart = lines.indexOf("") + 1;
    lines[cpStart + 2] = b64(new Uint8Array(32).fill(9));
    expect(verifyBundleEntry({ ...entry, tlog_proof: lines.join("\n") }, vkey)).toMatchObject({ ok: false, failure: "signature" });
    expect(verifyBundleEntry({ ...entry, tlog_proof: "garbage" }, vkey)).toMatchObject({ ok: false, failure: "malformed" });
    expect(verifyBundleEntry({ ...entry, leaf_index: 2 }, vkey)).toMatchObject({ ok: false, failure: "malformed" });
  });
});

describe("verifyBundleEntry with salted commitments (v2 leaves)", () => {
  const signer = generateSigner(ORIGIN);
  const vkey = encodeVkey(signer);
  const ORG = "5f0c8f7e-3b1a-4c2d-9e8f-000000000042";
  const DIGEST = "9a".repeat(32);

  /** A log of `n` committed leaves (each with its own salt) and the bundle entry for `index`. */
  function committedBundle(index: number, n: number): BundleEntry & { salt: string } {
    const events = Array.from({ length: n }, (_, i) => ({ v: 2, kind: "signing.decision", org: ORG, id: `req_${i}`, decision: "allow", digest: DIGEST, time: "2026-12-06T10:00:00.000Z" }));
    const salts = events.map((_, i) => new Uint8Array(32).fill(i + 1));
    const leaves = events.map((e, i) => committedLeaf(enc.encode(canonicalize(e)), e.kind, salts[i]!));
    const read = memoryReader(leaves.map((l) => hashLeaf(enc.encode(l))));
    const note = signNote(formatCheckpoint({ origin: ORIGIN, size: BigInt(n), rootHash: rootHash(read, n), extensions: [] }), signer);
    const proof = ["c2sp.org/tlog-proof@v1", `extra ${b64(enc.encode(leaves[index]!))}`, `index ${index}`, ...inclusionProof(read, index, n).map(b64), "", note].join("\n");
    return { leaf_index: index, kind: "signing.decision", event: events[index], salt: b64(salts[index]!), leaf: leaves[index]!, tlog_proof: proof };
  }

  it("verifies the event with its salt; the public leaf shows neither the organization nor the digest", () => {
    const entry = committedBundle(4, 6);
    expect(verifyBundleEntry(entry, vkey)).toMatchObject({ ok: true, leafIndex: 4, treeSize: 6 });
    expect(Object.keys(JSON.parse(entry.leaf) as object).sort()).toEqual(["c", "kind", "v"]);
    expect(entry.leaf).not.toContain(ORG);
    expect(entry.leaf).not.toContain(DIGEST);
    // The same event under another salt is another leaf: a guess cannot be tested without the salt.
    expect(committedLeaf(enc.encode(canonicalize(entry.event)), "signing.decision", new Uint8Array(32))).not.toBe(entry.leaf);
  });

  it("refuses a wrong salt, a missing salt, a malformed salt and an altered event", () => {
    const entry = committedBundle(1, 3);
    expect(verifyBundleEntry({ ...entry, salt: b64(new Uint8Array(32).fill(99)) }, vkey)).toMatchObject({ ok: false, failure: "leaf" });
    const { salt: _salt, ...unsalted } = entry;
    const missing = verifyBundleEntry(unsalted, vkey);
    expect(missing).toMatchObject({ ok: false, failure: "leaf" });
    if (!missing.ok) expect(missing.message).toContain("salt is needed");
    expect(verifyBundleEntry({ ...entry, salt: "not base64!" }, vkey)).toMatchObject({ ok: false, failure: "malformed" });
    expect(verifyBundleEntry({ ...entry, event: { ...(entry.event as object), decision: "deny" } }, vkey)).toMatchObject({ ok: false, failure: "leaf" });
    // Presenting the public leaf itself as the "event" (no salt) proves nothing about a decision: refused.
    expect(verifyBundleEntry({ ...unsalted, event: JSON.parse(entry.leaf) }, vkey)).toMatchObject({ ok: false, failure: "leaf" });
  });
});
