import { describe, expect, it } from "vitest";
import { verifyBundleEntry, type BundleEntry } from "@/lib/tlog/bundle";
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
