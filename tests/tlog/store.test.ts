import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendLeaves, leafBytes, type LogEvent } from "@/lib/tlog/append";
import { hashChildren, hashLeaf, memoryReader, rootHash, verifyConsistency, verifyInclusion, inclusionProof } from "@/lib/tlog/merkle";
import { openNote, parseCheckpoint, parseVkey } from "@/lib/tlog/note";
import { ensureLog, hashChildrenNative, latestCheckpoint, logVkey, proveConsistency, proveInclusion, publish, readTile, sequence, tileReader, withTree } from "@/lib/tlog/store";
import { tileLayout } from "@/lib/tlog/tiles";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

const ev = (writer: number, i: number): LogEvent => ({
  kind: "test.event",
  organizationId: null,
  decisionId: `w${writer}-${i}`,
  time: new Date(Date.UTC(2026, 11, 6, 12, 0, 0, i % 1000)),
  body: { decision: i % 3 === 0 ? "deny" : "allow", writer, i },
});

describe("transparency log storage", () => {
  it("the native interior hash used to fold tiles is RFC 6962's", () => {
    const a = hashLeaf(new Uint8Array([1]));
    const b = hashLeaf(new Uint8Array([2]));
    expect(Buffer.from(hashChildrenNative(a, b)).equals(Buffer.from(hashChildren(a, b)))).toBe(true);
  });

  it("a rolled-back decision leaves no leaf; a committed one is sequenced and provable", async () => {
    await ensureLog(db());
    await expect(
      db().$transaction(async (tx) => {
        await appendLeaves(tx, [ev(99, 1)]);
        throw new Error("decision failed");
      }),
    ).rejects.toThrow("decision failed");
    expect(await db().tlogEntry.count()).toBe(0);

    await db().$transaction((tx) => appendLeaves(tx, [ev(99, 2), ev(99, 3)]));
    const cp = await publish(db());
    expect(cp.treeSize).toBe(2);
    const state = (await ensureLog(db()))!;
    const { text } = openNote(cp.note, [parseVkey(logVkey(state))]);
    const c = parseCheckpoint(text);
    expect([c.origin, c.size]).toEqual([state.origin, 2n]);
    const stored = await db().tlogEntry.findUniqueOrThrow({ where: { leafIndex: 1n } });
    const leaf = leafBytes(ev(99, 3), new Uint8Array(stored.salt!));
    expect(Buffer.from(leaf).equals(Buffer.from(stored.leaf))).toBe(true);
    expect(verifyInclusion(1, 2, hashLeaf(leaf), await proveInclusion(db(), 1, 2), c.rootHash)).toBe(true);
    // Publishing again without new leaves signs nothing new.
    expect((await publish(db())).treeSize).toBe(2);
    expect(await db().tlogCheckpoint.count()).toBe(1);
  });

  it("8 concurrent writers append 10,000 leaves: no gaps, no duplicates, every proof verifies, checkpoints only grow", async () => {
    const before = (await latestCheckpoint(db()))!;
    const PER_WRITER = 1250;
    const BATCH = 25;
    let writing = true;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i += BATCH) {
        await db().$transaction((tx) => appendLeaves(tx, Array.from({ length: BATCH }, (_, k) => ev(w, i + k))));
      }
    });
    const checkpoints: number[] = [];
    const publisher = (async () => {
      while (writing) checkpoints.push((await publish(db())).treeSize);
    })();
    await Promise.all(writers);
    writing = false;
    await publisher;
    const final = await publish(db());
    const total = before.treeSize + 8 * PER_WRITER;
    expect(final.treeSize).toBe(total);
    expect(await sequence(db())).toBe(total);
    // Every entry has exactly one index, 0..total-1, and its hash is the hash of its leaf.
    const rows = await db().tlogEntry.findMany({ orderBy: { leafIndex: "asc" }, select: { leafIndex: true, leaf: true, leafHash: true, decisionId: true } });
    expect(rows.length).toBe(total);
    rows.forEach((r, i) => expect(r.leafIndex).toBe(BigInt(i)));
    expect(new Set(rows.map((r) => r.decisionId)).size).toBe(total);
    const hashes = rows.map((r) => new Uint8Array(r.leafHash));
    rows.forEach((r, i) => expect(Buffer.from(hashLeaf(new Uint8Array(r.leaf))).equals(Buffer.from(hashes[i]!))).toBe(true));

    // The signed root equals an independent recomputation from the leaves.
    const naive = memoryReader(hashes);
    expect(Buffer.from(final.rootHash).toString("hex")).toBe(Buffer.from(rootHash(naive, total)).toString("hex"));

    // Tiles: the layout C2SP prescribes for this size.
    const tiles = await db().tlogTile.findMany();
    const layout = tileLayout(total);
    for (const l of layout) {
      const atLevel = tiles.filter((t) => t.level === l.level);
      expect(atLevel.length).toBe(l.full + (l.partial ? 1 : 0));
      expect(atLevel.filter((t) => t.hashes.length === 256 * 32).length).toBe(l.full);
    }

    // Every inclusion proof (computed from the stored tiles) verifies against the signed root.
    const cache = new Map<`${number}/${number}`, Uint8Array>();
    for (const t of tiles) cache.set(`${t.level}/${Number(t.tileIndex)}`, new Uint8Array(t.hashes));
    const read = tileReader(cache);
    expect(Buffer.from(await withTree(db(), (r) => rootHash(r, total))).equals(Buffer.from(final.rootHash))).toBe(true);
    for (let i = 0; i < total; i++) {
      const proof = inclusionProof(read, i, total);
      expect(verifyInclusion(i, total, hashes[i]!, proof, final.rootHash), `leaf ${i}`).toBe(true);
    }
    // The server's own path (tile rows with their stored interior nodes, this process's tile cache) agrees.
    for (let i = 0; i < total; i += 37) {
      expect(verifyInclusion(i, total, hashes[i]!, await proveInclusion(db(), i, total), final.rootHash), `served proof of leaf ${i}`).toBe(true);
    }
    // Checkpoint sizes never went backwards; each is consistent with the final tree.
    for (let i = 1; i < checkpoints.length; i++) expect(checkpoints[i]!).toBeGreaterThanOrEqual(checkpoints[i - 1]!);
    const stored = await db().tlogCheckpoint.findMany({ orderBy: { createdAt: "asc" } });
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.treeSize).toBeGreaterThan(stored[i - 1]!.treeSize);
    for (const s of stored.filter((_, i) => i % Math.max(1, Math.floor(stored.length / 20)) === 0)) {
      const size = Number(s.treeSize);
      const proof = await proveConsistency(db(), size, total);
      expect(verifyConsistency(size, total, new Uint8Array(s.rootHash), final.rootHash, proof), `${size} -> ${total}`).toBe(size > 0);
    }
  });

  it("the database refuses to rewrite a sequenced leaf, shrink a tile or change a checkpoint", async () => {
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "leaf" = '\\x00' WHERE "leaf_index" = 0`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "leaf_index" = 99999 WHERE "leaf_index" = 0`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "tlog_entries" WHERE "leaf_index" = 0`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_tiles" SET "hashes" = substring("hashes" FROM 1 FOR 32) WHERE "level" = 0 AND "tile_index" = 0`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_checkpoints" SET "note" = 'x'`)).rejects.toThrow(/append-only/);
    expect((await readTile(db(), 0, 0))!.length).toBe(256 * 32);
    // A full tile keeps its interior nodes (levels 1..7), written once: they are the folds of its hashes.
    const row = await db().tlogTile.findUniqueOrThrow({ where: { level_tileIndex: { level: 0, tileIndex: 0n } } });
    const h = (b: Uint8Array, i: number) => new Uint8Array(b.subarray(i * 32, i * 32 + 32));
    expect(row.nodes).toHaveLength(254 * 32);
    expect(Buffer.from(h(row.nodes!, 0)).equals(Buffer.from(hashChildren(h(row.hashes, 0), h(row.hashes, 1))))).toBe(true);
    expect(Buffer.from(h(row.nodes!, 128)).equals(Buffer.from(hashChildren(h(row.nodes!, 0), h(row.nodes!, 1))))).toBe(true);
    expect(Buffer.from(hashChildren(h(row.nodes!, 252), h(row.nodes!, 253))).equals(Buffer.from(h((await readTile(db(), 1, 0))!, 0)))).toBe(true);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_tiles" SET "nodes" = "hashes" WHERE "level" = 0 AND "tile_index" = 0`)).rejects.toThrow(/append-only/);
    // A leaf's event and salt are as fixed as the leaf, even before it is sequenced.
    await db().$transaction((tx) => appendLeaves(tx, [ev(98, 1)]));
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "salt" = '\\x00' WHERE "leaf_index" IS NULL`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "event" = '\\x7b7d' WHERE "leaf_index" = 1`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "salt" = NULL WHERE "leaf_index" = 2`)).rejects.toThrow(/append-only/);
    await sequence(db());
    expect(await db().tlogEntry.count({ where: { leafIndex: null } })).toBe(0);
  });
});
