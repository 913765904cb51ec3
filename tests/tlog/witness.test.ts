import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendLeaves, decisionEvent, type DecisionInput } from "@/lib/tlog/append";
import { consistencyProof, hashLeaf, memoryReader, rootHash, type Hash } from "@/lib/tlog/merkle";
import { ALG_COSIGNATURE_V1, encodeVkey, formatCheckpoint, generateSigner, openNote, parseNote, parseVkey, signNote } from "@/lib/tlog/note";
import { ensureLog, latestCheckpoint, logVkey, publish, sequence } from "@/lib/tlog/store";
import { addCheckpoint, decodeWitnessState, encodeWitnessState, formatAddCheckpoint, parseAddCheckpoint } from "@/lib/tlog/witness";
import { useTestDatabase } from "../helpers/db";
import { runVerifier } from "../helpers/verify-log";
import { makeUser } from "../helpers/http";

useTestDatabase();


type Running = { child: ChildProcess; url: string; vkey: string };

/** Starts `countersign witness` as its own process; resolves once it printed its vkey and port. */
function startWitnessProcess(name: string, dataDir: string, logVkeys: string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/countersign.mjs", "witness", "--name", name, "--data-dir", dataDir, ...logVkeys.flatMap((v) => ["--log-vkey", v])], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const vkey = /^witness vkey (\S+)$/m.exec(out)?.[1];
      const port = /^listening (\d+)$/m.exec(out)?.[1];
      if (vkey && port) resolve({ child, url: `http://127.0.0.1:${port}`, vkey });
    });
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`witness exited ${code}: ${err}`)));
  });
}


async function post(url: string, body: string) {
  const res = await fetch(`${url}/add-checkpoint`, { method: "POST", body });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

describe("transparency-log witnesses (C2SP tlog-witness)", () => {
  let dir: string;
  let w1: Running;
  let w2: Running;
  let appVkey: string;
  let org: { organizationId: string };
  // A second log, made here, that witness 1 also watches: its checkpoints are crafted freely.
  const other = generateSigner("example.com/other-log");
  const otherVkey = encodeVkey(other);
  const env = { ...process.env };

  async function decide(n: number, prefix: string) {
    const d = (i: number): DecisionInput => ({ kind: "signing.decision", organizationId: org.organizationId, decisionId: `${prefix}-${i}`, decision: "allow", actor: { type: "agent", id: "a1" }, digest: "ab".repeat(32) });
    await db().$transaction((tx) => appendLeaves(tx, Array.from({ length: n }, (_, i) => decisionEvent(d(i)))));
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "witness-"));
    org = await makeUser();
    appVkey = logVkey(await ensureLog(db()));
    [w1, w2] = await Promise.all([
      startWitnessProcess("witness-one.example", path.join(dir, "w1"), [appVkey, otherVkey]),
      startWitnessProcess("witness-two.example", path.join(dir, "w2"), [appVkey]),
    ]);
  }, 60_000);

  afterEach(() => {
    process.env.COUNTERSIGN_TLOG_WITNESSES = env.COUNTERSIGN_TLOG_WITNESSES;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = env.COUNTERSIGN_TLOG_WITNESS_QUORUM;
    if (env.COUNTERSIGN_TLOG_WITNESSES === undefined) delete process.env.COUNTERSIGN_TLOG_WITNESSES;
    if (env.COUNTERSIGN_TLOG_WITNESS_QUORUM === undefined) delete process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM;
  });

  afterAll(async () => {
    for (const w of [w1, w2]) if (w) w.child.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  });

  it("publishes no first checkpoint without the quorum (503), and refuses a malformed witness list", async () => {
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}=${w1.vkey},http://127.0.0.1:9=${encodeVkey(generateSigner("witness-dead.example", ALG_COSIGNATURE_V1))}`;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "2";
    await decide(2, "q0");
    await expect(publish(db())).rejects.toMatchObject({ status: 503, message: expect.stringContaining("witness quorum (2) not reached") });
    expect(await latestCheckpoint(db())).toBeNull();
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}`;
    await expect(publish(db())).rejects.toMatchObject({ status: 503, message: expect.stringContaining("url=vkey") });
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}=${w1.vkey}`;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "2";
    await expect(publish(db())).rejects.toMatchObject({ status: 503, message: expect.stringContaining("QUORUM") });
  }, 60_000);

  it("publishes a checkpoint with both cosignatures under quorum 2, which the verifier accepts with --quorum 2", async () => {
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}=${w1.vkey},${w2.url}/=${w2.vkey}`;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "2";
    await decide(5, "q1");
    const first = await publish(db());
    expect(first.treeSize).toBe(7);
    const verifiers = [w1.vkey, w2.vkey].map((v) => parseVkey(v, [ALG_COSIGNATURE_V1]));
    expect(openNote(first.note, verifiers).verified.map((v) => v.name).sort()).toEqual(["witness-one.example", "witness-two.example"]);
    expect(parseNote(first.note).signatures).toHaveLength(3);

    // The next checkpoint goes with a consistency proof from 7 (what both witnesses hold now).
    await decide(7, "q2");
    const second = await publish(db());
    expect(second.treeSize).toBe(14);
    expect(openNote(second.note, verifiers).verified).toHaveLength(2);
    const state = JSON.parse(await readFile(path.join(dir, "w2", "state.json"), "utf8")) as { origins: Record<string, { size: number }> };
    expect(Object.values(state.origins).map((o) => o.size)).toEqual([14]);

    await writeFile(path.join(dir, "cp.txt"), second.note);
    const ok = await runVerifier(["--vkey", appVkey, "--witness", w1.vkey, "--witness", w2.vkey, "--quorum", "2", "--checkpoint", path.join(dir, "cp.txt")]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("cosigned by 2/2 witnesses");
    // A checkpoint without them fails the same check.
    const split = second.note.lastIndexOf("\n\n");
    const bare = `${second.note.slice(0, split + 2)}${second.note.slice(split + 2).split("\n")[0]}\n`;
    await writeFile(path.join(dir, "bare.txt"), bare);
    const refused = await runVerifier(["--vkey", appVkey, "--witness", w1.vkey, "--witness", w2.vkey, "--quorum", "2", "--checkpoint", path.join(dir, "bare.txt")]);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain("only 0 of 2 witness cosignatures verify");
  }, 60_000);

  it("keeps the previous checkpoint as latest when the quorum is not reached", async () => {
    const dead = generateSigner("witness-dead.example", ALG_COSIGNATURE_V1);
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}=${w1.vkey},http://127.0.0.1:9=${encodeVkey(dead)}`;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "2";
    const before = (await latestCheckpoint(db()))!;
    await decide(3, "q3");
    const r = await publish(db());
    expect(r.treeSize).toBe(before.treeSize);
    expect((await latestCheckpoint(db()))!.treeSize).toBe(before.treeSize);
    // Quorum 1 of the same two: published, with the one cosignature that answered.
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "1";
    const after = await publish(db());
    expect(after.treeSize).toBe(before.treeSize + 3);
    expect(openNote(after.note, [parseVkey(w1.vkey, [ALG_COSIGNATURE_V1])]).verified).toHaveLength(1);
  }, 60_000);

  it("keeps each witness's size in the database (every instance sends the right old size; a stale one is corrected from the 409)", async () => {
    process.env.COUNTERSIGN_TLOG_WITNESSES = `${w1.url}=${w1.vkey},${w2.url}=${w2.vkey}`;
    process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "2";
    await decide(2, "ws1");
    const cp = await publish(db());
    const sizes = async () => Object.fromEntries((await db().tlogWitnessSize.findMany()).map((r) => [r.witnessVkey, Number(r.treeSize)]));
    expect(await sizes()).toEqual({ [w1.vkey]: cp.treeSize, [w2.vkey]: cp.treeSize });
    // Another instance (or this one, restarted) has nothing but the database: make its record of witness 2 stale.
    await db().tlogWitnessSize.update({ where: { witnessVkey: w2.vkey }, data: { treeSize: 1n } });
    await decide(2, "ws2");
    const next = await publish(db());
    expect(next.treeSize).toBe(cp.treeSize + 2);
    expect(openNote(next.note, [w1.vkey, w2.vkey].map((v) => parseVkey(v, [ALG_COSIGNATURE_V1]))).verified).toHaveLength(2);
    expect(await sizes()).toEqual({ [w1.vkey]: next.treeSize, [w2.vkey]: next.treeSize });
  }, 60_000);

  it("asks the witnesses outside the sequencer's lock and any transaction: appends and sequencing go on while a witness is slow", async () => {
    let received!: () => void;
    const arrived = new Promise<void>((r) => (received = r));
    let answer: ((status: number) => void) | null = null;
    let aborted = false;
    const slow = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        answer = (status) => res.writeHead(status).end();
        received();
      });
      res.on("close", () => {
        if (!res.writableEnded) aborted = true;
      });
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const port = (slow.address() as AddressInfo).port;
      process.env.COUNTERSIGN_TLOG_WITNESSES = `http://127.0.0.1:${port}=${encodeVkey(generateSigner("witness-slow.example", ALG_COSIGNATURE_V1))}`;
      process.env.COUNTERSIGN_TLOG_WITNESS_QUORUM = "1";
      const before = (await latestCheckpoint(db()))!;
      await decide(3, "slow1");
      const publishing = publish(db());
      await arrived;
      // The witness holds its answer: the log still takes decisions and sequences them.
      await decide(2, "slow2");
      expect(await sequence(db())).toBe(before.treeSize + 5);
      expect(aborted).toBe(false);
      answer!(500);
      // No cosignature: the previous checkpoint stays the latest.
      expect((await publishing).treeSize).toBe(before.treeSize);
    } finally {
      await new Promise((r) => slow.close(r));
    }
  }, 60_000);

  describe("a witness's answers (crafted checkpoints of a log it watches)", () => {
    const leaves = (n: number, fork?: number): Hash[] => Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`${i === fork ? "forked" : "leaf"} ${i}`)));
    const checkpoint = (hashes: Hash[], signer = other) => signNote(formatCheckpoint({ origin: signer.name, size: BigInt(hashes.length), rootHash: rootHash(memoryReader(hashes), hashes.length), extensions: [] }), signer);
    const proof = (hashes: Hash[], from: number) => consistencyProof(memoryReader(hashes), from, hashes.length);

    it("cosigns, then answers 409 with its size to a stale old size, 422 to a fork, 403 to another key", async () => {
      const honest = leaves(10);
      const four = checkpoint(honest.slice(0, 4));
      const a = await post(w1.url, formatAddCheckpoint(0, [], four));
      expect(a.status).toBe(200);
      const cosigned = openNote(four + a.body, [parseVkey(w1.vkey, [ALG_COSIGNATURE_V1])]).verified[0]!;
      expect(cosigned.name).toBe("witness-one.example");
      expect(cosigned.timestamp! > 0n).toBe(true);

      // Stale: the log claims the witness has nothing yet.
      const stale = await post(w1.url, formatAddCheckpoint(0, [], checkpoint(honest.slice(0, 6))));
      expect(stale).toMatchObject({ status: 409, body: "4\n" });
      expect(stale.type).toMatch(/^text\/x\.tlog\.size/);

      // A fork: the same log key and origin over a tree whose leaf 2 was rewritten.
      const forked = leaves(6, 2);
      const fork = await post(w1.url, formatAddCheckpoint(4, proof(forked, 4), checkpoint(forked)));
      expect(fork.status).toBe(422);
      expect(fork.body).not.toContain("\u2014");
      // The same size with another root is a fork too.
      const sameSize = await post(w1.url, formatAddCheckpoint(4, [], checkpoint(leaves(4, 1))));
      expect(sameSize.status).toBe(422);

      // Signed by a key that is not the log's (same origin name).
      const impostor = generateSigner(other.name);
      const wrongKey = await post(w1.url, formatAddCheckpoint(4, proof(honest.slice(0, 6), 4), checkpoint(honest.slice(0, 6), impostor)));
      expect(wrongKey.status).toBe(403);
      // An origin it does not watch.
      const unknown = generateSigner("example.com/unknown");
      expect((await post(w1.url, formatAddCheckpoint(0, [], checkpoint(honest.slice(0, 2), unknown)))).status).toBe(404);
      // Malformed.
      expect((await post(w1.url, "old x\n\n")).status).toBe(400);

      // None of those moved it: the honest extension from 4 is cosigned.
      const ten = checkpoint(honest);
      const b = await post(w1.url, formatAddCheckpoint(4, proof(honest, 4), ten));
      expect(b.status).toBe(200);
      expect(openNote(ten + b.body, [parseVkey(w1.vkey, [ALG_COSIGNATURE_V1])]).verified).toHaveLength(1);
      const state = JSON.parse(await readFile(path.join(dir, "w1", "state.json"), "utf8")) as { origins: Record<string, { size: number }> };
      expect(state.origins[other.name]!.size).toBe(10);
    }, 60_000);

    it("keeps its key and state across a restart", async () => {
      const vkey = w1.vkey;
      w1.child.kill("SIGTERM");
      await new Promise((r) => w1.child.once("close", r));
      const again = await startWitnessProcess("witness-one.example", path.join(dir, "w1"), [appVkey, otherVkey]);
      w1 = again;
      expect(again.vkey).toBe(vkey);
      const stale = await post(again.url, formatAddCheckpoint(4, [], checkpoint(leaves(12).slice(0, 12))));
      expect(stale).toMatchObject({ status: 409, body: "10\n" });
    }, 60_000);
  });
});

describe("lib/tlog/witness.ts (pure)", () => {
  const log = generateSigner("example.com/pure-log");
  const wit = generateSigner("witness-pure.example", ALG_COSIGNATURE_V1);
  const logs = new Map([[log.name, [parseVkey(encodeVkey(log))]]]);
  const cp = (n: number) => {
    const hashes = Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`p${i}`)));
    return { hashes, note: signNote(formatCheckpoint({ origin: log.name, size: BigInt(n), rootHash: rootHash(memoryReader(hashes), n), extensions: [] }), log) };
  };

  it("parses and formats the request, and rejects malformed ones with 400", () => {
    const { hashes, note } = cp(5);
    const proof = consistencyProof(memoryReader(hashes), 3, 5);
    expect(parseAddCheckpoint(formatAddCheckpoint(3, proof, note))).toEqual({ old: 3, proof, note });
    for (const bad of ["", "old 01\n\n" + note, "old 3\nnot-base64\n\n" + note, "old 3\n" + note.replace("\n\n", "\n")]) {
      expect(addCheckpoint(new Map(), logs, wit, bad, 1n).status).toBe(400);
    }
    // old beyond the checkpoint
    expect(addCheckpoint(new Map(), logs, wit, formatAddCheckpoint(6, [], note), 1n).status).toBe(400);
  });

  it("cosigns with the given timestamp, returns the new state, and the state survives its JSON encoding", () => {
    const { note } = cp(3);
    const r = addCheckpoint(new Map(), logs, wit, formatAddCheckpoint(0, [], note), 1_700_000_000n);
    expect(r.status).toBe(200);
    expect(openNote(note + r.body, [parseVkey(encodeVkey(wit), [ALG_COSIGNATURE_V1])]).verified[0]!.timestamp).toBe(1_700_000_000n);
    expect(decodeWitnessState(encodeWitnessState(r.state!))).toEqual(r.state);
    // A non-empty proof from size 0 is refused (nothing to prove from).
    expect(addCheckpoint(new Map(), logs, wit, formatAddCheckpoint(0, [new Uint8Array(32)], note), 1n).status).toBe(422);
    expect(() => decodeWitnessState(JSON.stringify({ origins: { x: { size: -1, root: "AA==" } } }))).toThrow(/corrupt/);
  });
});
