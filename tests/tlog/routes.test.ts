import { beforeAll, describe, expect, it } from "vitest";
import { GET as checkpointRoute } from "@/app/api/v1/transparency-log/checkpoint/route";
import { GET as consistencyRoute } from "@/app/api/v1/transparency-log/consistency/route";
import { GET as decisionRoute } from "@/app/api/v1/transparency-log/decisions/[id]/route";
import { GET as proofRoute } from "@/app/api/v1/transparency-log/proof/[leaf_index]/route";
import { GET as sizeRoute } from "@/app/api/v1/transparency-log/size/route";
import { GET as sthRoute } from "@/app/api/v1/transparency-log/sth/route";
import { GET as tileRoute } from "@/app/api/v1/transparency-log/tile/[...path]/route";
import { db } from "@/lib/db/client";
import { leafForEvent } from "@/lib/tlog/commitment";
import { appendDecision, appendLeaves, decisionEvent, type DecisionInput } from "@/lib/tlog/append";
import { hashLeaf, verifyConsistency, verifyInclusion, hashChildren } from "@/lib/tlog/merkle";
import { openNote, parseCheckpoint, parseVkey } from "@/lib/tlog/note";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

const b = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const P = "/api/v1/transparency-log";
/** GET a tile as Next serves the catch-all: params.path is the segments after tile/. */
const tileGet = (path: string) => tileRoute(new Request(`http://localhost${P}/tile/${path}`), { params: Promise.resolve({ path: path.split("/") }) });

async function decide(organizationId: string | null, n: number, prefix = "d") {
  const d = (i: number): DecisionInput => ({ kind: "signing.decision", organizationId, decisionId: `${prefix}-${i}`, decision: i % 2 ? "allow" : "deny", actor: { type: "agent", id: "a1" }, digest: "ab".repeat(32) });
  await db().$transaction(async (tx) => {
    await appendDecision(tx, d(0));
    await appendLeaves(tx, Array.from({ length: n - 1 }, (_, i) => decisionEvent(d(i + 1))));
  });
}

describe("transparency log routes (seed 002 + C2SP)", () => {
  let org: { organizationId: string; cookie: string };
  beforeAll(async () => {
    org = await makeUser();
    await decide(org.organizationId, 300);
  });

  it("GET /size and /sth: the latest signed checkpoint, publishing pending leaves on read", async () => {
    const size = await call(sizeRoute, "GET", `${P}/size`);
    expect(size.status).toBe(200);
    expect(size.json).toEqual({ tree_size: 300 });
    const sth = await call(sthRoute, "GET", `${P}/sth`);
    expect(sth.status).toBe(200);
    expect(Object.keys(sth.json).sort()).toEqual(["note", "origin", "root_hash", "signature", "timestamp", "tree_size", "vkey"]);
    const { text } = openNote(sth.json.note, [parseVkey(sth.json.vkey)]);
    const c = parseCheckpoint(text);
    expect([c.origin, Number(c.size), Buffer.from(c.rootHash).toString("base64")]).toEqual([sth.json.origin, 300, sth.json.root_hash]);
    expect(sth.json.origin).toBe("localhost:3000/transparency-log");
    expect(new Date(sth.json.timestamp).toISOString()).toBe(sth.json.timestamp);
    expect(sth.json.note).toContain(`\u2014 ${sth.json.origin} ${sth.json.signature}\n`);
    const cp = await call(checkpointRoute, "GET", `${P}/checkpoint`);
    expect(cp.status).toBe(200);
    expect(cp.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(cp.text).toBe(sth.json.note);
  });

  it("GET /proof/{leaf_index}: the leaf, its RFC 9162 path and the checkpoint it verifies against", async () => {
    const sth = (await call(sthRoute, "GET", `${P}/sth`)).json;
    for (const i of [0, 1, 255, 256, 299]) {
      const r = await call(proofRoute, "GET", `${P}/proof/${i}`, { params: { leaf_index: String(i) } });
      expect(r.status).toBe(200);
      expect(r.json.tree_size).toBe(300);
      // The public leaf is the salted commitment to the event (which stays private to the organization).
      expect(Object.keys(JSON.parse(r.json.leaf) as object).sort()).toEqual(["c", "kind", "v"]);
      const stored = await db().tlogEntry.findUniqueOrThrow({ where: { leafIndex: BigInt(i) } });
      expect(Buffer.from(stored.leaf).toString("utf8")).toBe(r.json.leaf);
      expect(leafForEvent(JSON.parse(Buffer.from(stored.event!).toString("utf8")), new Uint8Array(stored.salt!))).toBe(r.json.leaf);
      expect(JSON.parse(Buffer.from(stored.event!).toString("utf8"))).toMatchObject({ id: `d-${i}`, kind: "signing.decision", decision: i % 2 ? "allow" : "deny" });
      expect(Buffer.from(hashLeaf(new TextEncoder().encode(r.json.leaf))).toString("base64")).toBe(r.json.leaf_hash);
      expect(verifyInclusion(i, 300, b(r.json.leaf_hash), r.json.inclusion_path.map(b), b(sth.root_hash))).toBe(true);
      expect(r.json.checkpoint).toBe(sth.note);
    }
  });

  it("proofs against an older published checkpoint, and consistency between checkpoints", async () => {
    const old = (await call(sthRoute, "GET", `${P}/sth`)).json;
    await decide(org.organizationId, 40, "e");
    const now = (await call(sthRoute, "GET", `${P}/sth`)).json;
    expect(now.tree_size).toBe(340);
    const atOld = await call(proofRoute, "GET", `${P}/proof/5`, { params: { leaf_index: "5" }, query: { tree_size: "300" } });
    expect(atOld.status).toBe(200);
    expect(atOld.json.checkpoint).toBe(old.note);
    expect(verifyInclusion(5, 300, b(atOld.json.leaf_hash), atOld.json.inclusion_path.map(b), b(old.root_hash))).toBe(true);
    const c = await call(consistencyRoute, "GET", `${P}/consistency`, { query: { first: "300" } });
    expect(c.status).toBe(200);
    expect([c.json.first, c.json.second, c.json.first_checkpoint, c.json.checkpoint]).toEqual([300, 340, old.note, now.note]);
    expect(verifyConsistency(300, 340, b(old.root_hash), b(now.root_hash), c.json.consistency_path.map(b))).toBe(true);
    const c2 = await call(consistencyRoute, "GET", `${P}/consistency`, { query: { first: "7", second: "340" } });
    expect(c2.status).toBe(200);
    expect(c2.json.first_checkpoint).toBeNull();
  });

  it("bad input is a 4xx in seed 002's error body", async () => {
    const cases: [typeof proofRoute, string, Record<string, string>, Record<string, string>, number][] = [
      [proofRoute, `${P}/proof/x`, { leaf_index: "x" }, {}, 400],
      [proofRoute, `${P}/proof/-1`, { leaf_index: "-1" }, {}, 400],
      [proofRoute, `${P}/proof/01`, { leaf_index: "01" }, {}, 400],
      [proofRoute, `${P}/proof/340`, { leaf_index: "340" }, {}, 404],
      [proofRoute, `${P}/proof/99999999999999999999`, { leaf_index: "99999999999999999999" }, {}, 400],
      [proofRoute, `${P}/proof/1`, { leaf_index: "1" }, { tree_size: "100000" }, 400],
      [proofRoute, `${P}/proof/1`, { leaf_index: "1" }, { tree_size: "301" }, 404],
      [proofRoute, `${P}/proof/1`, { leaf_index: "1" }, { extra: "1" }, 400],
      [consistencyRoute, `${P}/consistency`, {}, {}, 400],
      [consistencyRoute, `${P}/consistency`, {}, { first: "0" }, 400],
      [consistencyRoute, `${P}/consistency`, {}, { first: "341" }, 400],
      [consistencyRoute, `${P}/consistency`, {}, { first: "1", second: "2" }, 404],
    ];
    for (const [route, path, params, query, status] of cases) {
      const r = await call(route, "GET", path, { params, query });
      expect(r.status, `${path} ${JSON.stringify(query)}`).toBe(status);
      expect(typeof r.json.error.code).toBe("string");
      expect(typeof r.json.error.message).toBe("string");
      if (status === 400) expect(r.json.error.code).toBe("VALIDATION_ERROR");
      if (status === 404) expect(r.json.error.code).toBe("NOT_FOUND");
    }
  });

  it("GET /tile/…: C2SP tiles and entry bundles; full tiles immutable, partial ones not", async () => {
    const full = await tileGet("0/000");
    expect(full.status).toBe(200);
    expect(full.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const t0 = new Uint8Array(await (await tileGet("0/000")).arrayBuffer());
    expect(t0.length).toBe(256 * 32);
    const p1 = await tileGet("0/001.p/84");
    expect(p1.status).toBe(200);
    expect(p1.headers.get("cache-control")).toBe("no-store");
    const t1 = new Uint8Array(await p1.arrayBuffer());
    expect(t1.length).toBe(84 * 32);
    // Leaf 256's hash is the first hash of tile 0/001, and the proof route agrees.
    const proof = (await call(proofRoute, "GET", `${P}/proof/256`, { params: { leaf_index: "256" } })).json;
    expect(Buffer.from(t1.subarray(0, 32)).toString("base64")).toBe(proof.leaf_hash);
    expect((await tileGet("0/001.p/85")).status).toBe(404);
    expect((await tileGet("0/001")).status).toBe(404);
    expect((await tileGet("1/000")).status).toBe(404);
    expect((await tileGet("1/000.p/1")).status).toBe(200);
    const bad = await tileGet("0/1");
    expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([404, "NOT_FOUND"]);

    // Entry bundle: uint16 big-endian length + leaf, 256 of them; each leaf hashes to tile 0/000.
    const eb = await tileGet("entries/000");
    expect(eb.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const bytes = new Uint8Array(await eb.arrayBuffer());
    let off = 0;
    for (let i = 0; i < 256; i++) {
      const len = (bytes[off]! << 8) | bytes[off + 1]!;
      const leaf = bytes.subarray(off + 2, off + 2 + len);
      expect(Buffer.from(hashLeaf(leaf)).equals(Buffer.from(t0.subarray(i * 32, i * 32 + 32)))).toBe(true);
      off += 2 + len;
    }
    expect(off).toBe(bytes.length);
    // The level-1 tile's first hash is the root of the first 256 leaves.
    const l1 = new Uint8Array(await (await tileGet("1/000.p/1")).arrayBuffer());
    let layer: Uint8Array[] = Array.from({ length: 256 }, (_, i) => t0.subarray(i * 32, i * 32 + 32));
    while (layer.length > 1) layer = Array.from({ length: layer.length / 2 }, (_, i) => hashChildren(layer[2 * i]!, layer[2 * i + 1]!));
    expect(Buffer.from(l1).equals(Buffer.from(layer[0]!))).toBe(true);
  });

  it("GET /decisions/{id}: the caller's organization only, with a tlog-proof bundle", async () => {
    const anon = await call(decisionRoute, "GET", `${P}/decisions/d-3`, { params: { id: "d-3" } });
    expect(anon.status).toBe(401);
    expect(anon.json.error.code).toBe("UNAUTHORIZED");
    const r = await call(decisionRoute, "GET", `${P}/decisions/d-3`, { params: { id: "d-3" }, cookie: org.cookie });
    expect(r.status).toBe(200);
    expect(r.json.entries).toHaveLength(1);
    const e = r.json.entries[0];
    expect(e.leaf_index).toBe(3);
    expect(e.event).toMatchObject({ id: "d-3", org: org.organizationId, decision: "allow" });
    // The organization's reader gets the salt: the event and the salt recompute the public leaf.
    expect(Buffer.from(e.salt, "base64")).toHaveLength(32);
    expect(leafForEvent(e.event, new Uint8Array(Buffer.from(e.salt, "base64")))).toBe(e.leaf);
    const lines = e.tlog_proof.split("\n");
    expect(lines[0]).toBe("c2sp.org/tlog-proof@v1");
    expect(lines[1]).toBe(`extra ${Buffer.from(e.leaf).toString("base64")}`);
    expect(lines[2]).toBe("index 3");
    const other = await makeUser();
    const key = await makeApiKey(other.organizationId, ["audit:read"]);
    const foreign = await call(decisionRoute, "GET", `${P}/decisions/d-3`, { params: { id: "d-3" }, apiKey: key.secret });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe("NOT_FOUND");
  });
});
