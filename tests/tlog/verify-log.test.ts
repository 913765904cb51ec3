import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { openSecret, type SealedBlob } from "@/lib/keystore";
import { runCli } from "@/lib/sdk/cli/run";
import { nodeIo } from "@/lib/sdk/cli/node-io";
import { appendLeaves, decisionEvent, type DecisionInput } from "@/lib/tlog/append";
import { consistencyProof, hashLeaf, memoryReader, rootHash } from "@/lib/tlog/merkle";
import { ALG_COSIGNATURE_V1, b64, cosign, encodeVkey, formatCheckpoint, generateSigner, signerFromSeed, signNote } from "@/lib/tlog/note";
import { publish } from "@/lib/tlog/store";
import { checkLogIntegrity, logIntegrity } from "@/lib/tlog/monitor";
import { GET as healthRoute } from "@/app/health/route";
import { createRouter } from "@/tools/lib/route-table";
import { useTestDatabase } from "../helpers/db";
import { runVerifier } from "../helpers/verify-log";
import { makeUser } from "../helpers/http";

useTestDatabase();



describe("tools/verify-log/verify.mjs (zero-dependency verifier)", () => {
  let server: Server;
  let url: string;
  let dir: string;
  let vkey: string;
  let org: { organizationId: string; cookie: string };
  const file = (name: string) => path.join(dir, name);

  async function decide(n: number, prefix: string) {
    const d = (i: number): DecisionInput => ({ kind: "signing.decision", organizationId: org.organizationId, decisionId: `${prefix}-${i}`, decision: i % 2 ? "allow" : "deny", actor: { type: "agent", id: "a1" }, digest: "cd".repeat(32) });
    await db().$transaction((tx) => appendLeaves(tx, Array.from({ length: n }, (_, i) => decisionEvent(d(i)))));
  }
  const get = async (p: string, cookie?: string) => (await fetch(`${url}${p}`, { headers: cookie ? { cookie } : {} })).json();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "verify-log-"));
    org = await makeUser();
    await decide(20, "v");
    const route = createRouter(path.resolve("app"));
    server = createServer(async (req, res) => {
      const r = await route(new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string> }));
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    vkey = (await get("/api/v1/transparency-log/sth")).vkey;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    await rm(dir, { recursive: true, force: true });
  });

  it("the server's self-check passes on an untampered log (/health 200)", async () => {
    expect(await checkLogIntegrity(db())).toEqual({ ok: true });
    await logIntegrity(db(), { refresh: true });
    const h = await healthRoute(new Request("http://localhost/health"));
    expect([h.status, (await h.json()).checks.transparencyLog]).toEqual([200, { ok: true }]);
  });

  it("online: checkpoint and a leaf's inclusion against the server; a saved checkpoint stays consistent as the log grows", async () => {
    const first = await runVerifier(["--vkey", vkey, "--url", url, "--index", "7", "--save-checkpoint", file("saved.txt")]);
    expect(first).toEqual({ code: 0, out: `OK: checkpoint localhost:3000/transparency-log size 20 signed; leaf 7 included` });
    await decide(13, "w");
    const later = await runVerifier(["--vkey", vkey, "--url", url, "--old-checkpoint", file("saved.txt")]);
    expect(later).toEqual({ code: 0, out: "OK: checkpoint localhost:3000/transparency-log size 33 signed; consistent with saved size 20" });
  });

  it("offline: a decision's tlog-proof and its event JSON (any key order or spacing) verify; a tampered or reordered leaf does not", async () => {
    const bundle = await get("/api/v1/transparency-log/decisions/v-5", org.cookie);
    const e = bundle.entries[0];
    await writeFile(file("d.tlog-proof"), e.tlog_proof);
    // Pretty-printed, keys reversed: the verifier recomputes the canonical leaf itself.
    const reversed = Object.fromEntries(Object.entries(e.event).reverse());
    await writeFile(file("event.json"), JSON.stringify(reversed, null, 2));
    // The leaf is a salted commitment: the event alone is not enough, the bundle's salt recomputes it.
    expect(typeof e.salt).toBe("string");
    expect(await runVerifier(["--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("event.json"), "--salt", e.salt])).toEqual({ code: 0, out: "OK: checkpoint localhost:3000/transparency-log size 33 signed; leaf 5 included" });
    expect(await runVerifier(["--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("event.json")])).toEqual({ code: 1, out: "FAIL: the event's leaf is a salted commitment: give --salt (the bundle's salt)" });
    const otherSalt = Buffer.alloc(32, 7).toString("base64");
    expect(await runVerifier(["--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("event.json"), "--salt", otherSalt])).toEqual({ code: 1, out: "FAIL: leaf 5 is not in the log: the inclusion proof does not verify for this event" });

    await writeFile(file("tampered.json"), JSON.stringify({ ...e.event, decision: "deny" }));
    expect(await runVerifier(["--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("tampered.json"), "--salt", e.salt])).toEqual({ code: 1, out: "FAIL: leaf 5 is not in the log: the inclusion proof does not verify for this event" });

    // Reordered: the same event claimed at the next position.
    await writeFile(file("moved.tlog-proof"), e.tlog_proof.replace("\nindex 5\n", "\nindex 6\n"));
    expect(await runVerifier(["--vkey", vkey, "--proof", file("moved.tlog-proof"), "--event", file("event.json"), "--salt", e.salt])).toEqual({ code: 1, out: "FAIL: leaf 6 is not in the log: the inclusion proof does not verify for this event" });
    // Or the neighbour's event (with its own salt) with this proof.
    const six = (await get("/api/v1/transparency-log/decisions/v-6", org.cookie)).entries[0];
    await writeFile(file("six.json"), JSON.stringify(six.event));
    expect((await runVerifier(["--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("six.json"), "--salt", six.salt])).code).toBe(1);

    // The public proof route shows only the commitment: no organization, decision id or digest.
    const pub = await get("/api/v1/transparency-log/proof/5");
    expect(pub.leaf).toBe(e.leaf);
    expect(pub.leaf).not.toContain(org.organizationId);
    expect(pub.leaf).not.toContain("cd".repeat(32));
    expect(pub.leaf).not.toContain("v-5");
  });

  it("a wrong key, a tampered checkpoint and a missing witness quorum are refused; a witness cosignature counts", async () => {
    const note = await (await fetch(`${url}/api/v1/transparency-log/checkpoint`)).text();
    await writeFile(file("cp.txt"), note);
    const other = encodeVkey(generateSigner("localhost:3000/transparency-log"));
    expect(await runVerifier(["--vkey", other, "--checkpoint", file("cp.txt")])).toEqual({ code: 1, out: "FAIL: checkpoint is not signed by the pinned log key" });
    await writeFile(file("cp-size.txt"), note.replace(/\n33\n/, "\n34\n"));
    expect(await runVerifier(["--vkey", vkey, "--checkpoint", file("cp-size.txt")])).toEqual({ code: 1, out: "FAIL: checkpoint signature does not verify against the pinned log key" });

    const w1 = generateSigner("witness.example/w1", ALG_COSIGNATURE_V1);
    const w2 = generateSigner("witness.example/w2", ALG_COSIGNATURE_V1);
    const text = note.slice(0, note.lastIndexOf("\n\n") + 1);
    await writeFile(file("cosigned.txt"), note + cosign(text, w1, 1_800_000_000n));
    const keys = ["--witness", encodeVkey(w1), "--witness", encodeVkey(w2)];
    expect(await runVerifier(["--vkey", vkey, "--checkpoint", file("cosigned.txt"), ...keys, "--quorum", "1"])).toEqual({ code: 0, out: "OK: checkpoint localhost:3000/transparency-log size 33 signed, cosigned by 1/2 witnesses" });
    expect(await runVerifier(["--vkey", vkey, "--checkpoint", file("cosigned.txt"), ...keys])).toEqual({ code: 1, out: "FAIL: only 1 of 2 witness cosignatures verify (need 2)" });
    // A cosignature moved onto another checkpoint does not verify.
    const other33 = text.replace(/\n33\n/, "\n33\n").replace(/\n[A-Za-z0-9+/=]{44}\n$/, `\n${b64(new Uint8Array(32))}\n`);
    const forgedNote = note.replace(text, other33);
    await writeFile(file("moved-cosig.txt"), forgedNote + cosign(text, w1, 1_800_000_000n));
    expect((await runVerifier(["--vkey", vkey, "--checkpoint", file("moved-cosig.txt"), ...keys, "--quorum", "1"])).code).toBe(1);
  });

  it("a forked checkpoint (the log key signing a history with a rewritten leaf) is refused offline", async () => {
    // The operator, holding the log key, rewrites leaf 3 and signs the rewritten tree at a larger size.
    const state = await db().tlogState.findUniqueOrThrow({ where: { id: 1 } });
    const signer = signerFromSeed(state.origin, openSecret(state.sealedPrivateKey as unknown as SealedBlob, "tlog/log-key"));
    const rows = await db().tlogEntry.findMany({ where: { leafIndex: { not: null } }, orderBy: { leafIndex: "asc" } });
    const hashes: Uint8Array[] = rows.map((r) => new Uint8Array(r.leafHash));
    hashes[3] = hashLeaf(new TextEncoder().encode('{"decision":"allow","forged":true}'));
    hashes.push(hashLeaf(new TextEncoder().encode("extra")));
    const forged = memoryReader(hashes);
    const n = hashes.length;
    const note = signNote(formatCheckpoint({ origin: state.origin, size: BigInt(n), rootHash: rootHash(forged, n), extensions: [] }), signer);
    await writeFile(file("forked.txt"), note);
    await writeFile(file("forked-proof.txt"), consistencyProof(forged, 20, n).map(b64).join("\n") + "\n");
    const r = await runVerifier(["--vkey", vkey, "--checkpoint", file("forked.txt"), "--old-checkpoint", file("saved.txt"), "--consistency-proof", file("forked-proof.txt")]);
    expect(r).toEqual({ code: 1, out: `FAIL: fork: the checkpoint of size ${n} is not consistent with the saved checkpoint of size 20` });
    // The log going backwards is refused too.
    expect(await runVerifier(["--vkey", vkey, "--checkpoint", file("cp.txt"), "--old-checkpoint", file("forked.txt"), "--consistency-proof", file("forked-proof.txt")])).toEqual({ code: 1, out: `FAIL: the log went backwards: saved checkpoint has size ${n}, newer one 33` });
  });

  it("countersign verify wraps it (exit 0 / 1 with the one-line reason)", async () => {
    let out = "";
    let err = "";
    const io = nodeIo({ stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
    const salt = (await get("/api/v1/transparency-log/decisions/v-5", org.cookie)).entries[0].salt as string;
    expect(await runCli(["verify", "--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("event.json"), "--salt", salt], io)).toBe(0);
    expect(out).toBe("OK: checkpoint localhost:3000/transparency-log size 33 signed; leaf 5 included\n");
    expect(await runCli(["verify", "--vkey", vkey, "--proof", file("d.tlog-proof"), "--event", file("tampered.json"), "--salt", salt], io)).toBe(1);
    expect(err).toBe("FAIL: leaf 5 is not in the log: the inclusion proof does not verify for this event\n");
    expect(await runCli(["verify", "--vkey", vkey, "--url", url, "--index", "32"], io)).toBe(0);
  });

  it("the server's database tampered after a checkpoint was saved: its next checkpoint is a fork", async () => {
    // Someone with database access rewrites leaf 3's hash in the tile (bypassing the append-only trigger).
    await db().$executeRawUnsafe(`ALTER TABLE "tlog_tiles" DISABLE TRIGGER "tlog_tiles_append_only"`);
    await db().$executeRawUnsafe(`UPDATE "tlog_tiles" SET "hashes" = overlay("hashes" placing '\\x${"ee".repeat(32)}'::bytea from 97 for 32) WHERE "level" = 0 AND "tile_index" = 0`);
    await db().$executeRawUnsafe(`ALTER TABLE "tlog_tiles" ENABLE TRIGGER "tlog_tiles_append_only"`);
    await decide(300, "x");
    await publish(db());
    const r = await runVerifier(["--vkey", vkey, "--url", url, "--old-checkpoint", file("saved.txt")]);
    expect(r).toEqual({ code: 1, out: "FAIL: fork: the checkpoint of size 333 is not consistent with the saved checkpoint of size 20" });
    expect(await readFile(file("saved.txt"), "utf8")).toMatch(/\n20\n/);
    // The server notices too: its self-check fails and /health turns 503 with the reason.
    expect(await checkLogIntegrity(db())).toEqual({ ok: false, detail: "the stored tree no longer has the root signed at size 33: leaves or tiles were rewritten" });
    await logIntegrity(db(), { refresh: true });
    const h = await healthRoute(new Request("http://localhost/health"));
    expect(h.status).toBe(503);
    expect((await h.json()).checks.transparencyLog).toEqual({ ok: false, detail: "the stored tree no longer has the root signed at size 33: leaves or tiles were rewritten" });
  });
});
