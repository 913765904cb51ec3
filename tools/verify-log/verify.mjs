#!/usr/bin/env node
// Countersign transparency-log verifier (issue #14). Zero dependencies: Node's own crypto only.
//
// Checks, against keys you pin:
//   - a checkpoint (C2SP signed note): the log's Ed25519 signature, and k of n witness cosignatures
//     (C2SP tlog-cosignature/v1);
//   - that a decision is in the log: RFC 9162 inclusion proof for a leaf recomputed from the event
//     JSON (RFC 8785 canonical form) and its salt (--salt, from the proof bundle: the public leaf is
//     {"c": SHA-256("countersign/tlog-leaf-commitment/v1\n" || salt || JCS(event)), "kind", "v": 2}),
//     from a tlog-proof@v1 file or fetched from the server;
//   - that the log only grew: RFC 9162 consistency between a saved older checkpoint and the newer one.
// Offline from files, or online against a server URL. Prints one line; exit 0 (verified) or 1.
//
//   node tools/verify-log/verify.mjs --vkey <log vkey> --proof decision.tlog-proof --event event.json --salt <base64>
//   node tools/verify-log/verify.mjs --vkey <log vkey> --url https://host --index 42 --old-checkpoint saved.txt
//   Options: --vkey, --witness <vkey> (repeat), --quorum <k>, --url, --checkpoint <file>, --proof <file>,
//            --event <file>, --salt <base64>, --index <n>, --old-checkpoint <file>, --consistency-proof <file>,
//            --save-checkpoint <file>
import { createHash, createPublicKey, verify as edVerify } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

export class VerifyError extends Error {}
const fail = (reason) => {
  throw new VerifyError(reason);
};

const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const enc = new TextEncoder();
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const eq = (a, b) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** Strict padded standard base64, or null. */
function fromB64(s) {
  if (typeof s !== "string" || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return null;
  const out = new Uint8Array(Buffer.from(s, "base64"));
  return b64(out) === s ? out : null;
}

// --- RFC 8785 (JCS) ---
const LONE = /(?:[\ud800-\udbff](?![\udc00-\udfff]))|(?:(?<![\ud800-\udbff])[\udc00-\udfff])/;
function jcsString(s) {
  if (LONE.test(s)) fail("event JSON has a lone surrogate");
  return JSON.stringify(s);
}
export function canonicalize(v) {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) fail("event JSON has a non-finite number");
    return JSON.stringify(v);
  }
  if (typeof v === "string") return jcsString(v);
  if (Array.isArray(v)) return `[${v.map(canonicalize).join(",")}]`;
  if (typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${jcsString(k)}:${canonicalize(v[k])}`)
      .join(",")}}`;
  }
  fail("event JSON holds a value JSON cannot");
}

// --- RFC 6962 / 9162 ---
export const hashLeaf = (leaf) => sha256(Uint8Array.of(0), leaf);

// --- salted leaf commitments (lib/tlog/commitment.ts) ---
const COMMITMENT_DOMAIN = enc.encode("countersign/tlog-leaf-commitment/v1\n");

/** The public leaf an event JSON stands for: itself (leaves before commitments), or its salted commitment (v 2). */
export function leafForEvent(event, salt) {
  const canonical = canonicalize(event);
  const obj = event && typeof event === "object" && !Array.isArray(event) ? event : null;
  if (!salt) {
    if (obj?.v === 2) fail("the event's leaf is a salted commitment: give --salt (the bundle's salt)");
    return canonical;
  }
  if (salt.length !== 32) fail("--salt must be 32 bytes of base64");
  if (!obj || typeof obj.kind !== "string" || obj.v !== 2) fail("a salted event must be an object with kind and v 2");
  const c = sha256(COMMITMENT_DOMAIN, salt, enc.encode(canonical));
  return canonicalize({ c: b64(c), kind: obj.kind, v: 2 });
}
const hashChildren = (l, r) => sha256(Uint8Array.of(1), l, r);

export function rootFromInclusion(index, size, leafHash, path) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  if (leafHash.length !== 32 || path.some((h) => h.length !== 32)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else r = hashChildren(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyConsistency(size1, size2, root1, root2, proof) {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2)) || size1 <= 0 || size2 < size1) return false;
  if ([root1, root2, ...proof].some((h) => h.length !== 32)) return false;
  if (size1 === size2) return proof.length === 0 && eq(root1, root2);
  if (proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else sr = hashChildren(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && eq(fr, root1) && eq(sr, root2);
}

// --- C2SP signed notes, checkpoints, cosignatures ---
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");
function ed25519(sig, msg, pub) {
  if (sig.length !== 64 || pub.length !== 32) return false;
  try {
    return edVerify(null, msg, createPublicKey({ key: Buffer.concat([SPKI_ED25519, pub]), format: "der", type: "spki" }), sig);
  } catch {
    return false;
  }
}

const validName = (n) => n.length > 0 && !/[\s+]/u.test(n) && !/[\u0000-\u001f\u007f]/.test(n);

/** `<name>+<hex key id>+<base64(alg || key)>`; alg 0x01 (note signatures) or 0x04 (cosignatures). */
export function parseVkey(vkey, accept) {
  const m = /^([^+]*)\+([0-9a-f]{8})\+(.*)$/s.exec(vkey ?? "");
  if (!m || !validName(m[1])) fail(`malformed verifier key ${JSON.stringify(vkey)}`);
  const key = fromB64(m[3]);
  if (!key || key.length !== 33 || !accept.includes(key[0])) fail(`unsupported verifier key ${JSON.stringify(vkey)}`);
  const id = sha256(enc.encode(m[1]), Uint8Array.of(0x0a, key[0]), key.subarray(1)).subarray(0, 4);
  if (Buffer.from(id).toString("hex") !== m[2]) fail(`verifier key id does not match its key: ${JSON.stringify(vkey)}`);
  return { name: m[1], keyId: id, alg: key[0], publicKey: key.subarray(1) };
}

export function parseNote(note) {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) fail("checkpoint note contains a control character");
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) fail("checkpoint is not a signed note");
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2, -1).split("\n").map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const blob = m && fromB64(m[2]);
    if (!m || !validName(m[1]) || !blob || blob.length < 5) fail("checkpoint has a malformed signature line");
    return { name: m[1], keyId: blob.subarray(0, 4), sig: blob.subarray(4) };
  });
  return { text, sigs };
}

/** Verifies a note: the log key must sign it; returns the cosigners whose cosignature verifies. */
export function openCheckpoint(note, logKey, witnesses) {
  const { text, sigs } = parseNote(note);
  let logOk = false;
  const cosigned = new Set();
  for (const s of sigs) {
    if (s.name === logKey.name && eq(s.keyId, logKey.keyId)) {
      if (!ed25519(s.sig, enc.encode(text), logKey.publicKey)) fail("checkpoint signature does not verify against the pinned log key");
      logOk = true;
      continue;
    }
    const w = witnesses.find((k) => k.name === s.name && eq(k.keyId, s.keyId));
    if (!w) continue;
    if (s.sig.length !== 72) fail(`cosignature of ${w.name} is malformed`);
    const time = Buffer.from(s.sig.subarray(0, 8)).readBigUInt64BE();
    const msg = enc.encode(`cosignature/v1\ntime ${time}\n${text}`);
    if (!ed25519(s.sig.subarray(8), msg, w.publicKey)) fail(`cosignature of ${w.name} does not verify`);
    cosigned.add(w.name);
  }
  if (!logOk) fail("checkpoint is not signed by the pinned log key");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) fail("malformed checkpoint");
  const root = fromB64(lines[2]);
  const size = Number(lines[1]);
  if (!root || root.length !== 32 || !Number.isSafeInteger(size)) fail("malformed checkpoint");
  if (lines[0] !== logKey.name) fail(`checkpoint origin ${JSON.stringify(lines[0])} is not the pinned log ${JSON.stringify(logKey.name)}`);
  return { origin: lines[0], size, root, cosigned: [...cosigned] };
}

/** C2SP tlog-proof@v1 → { extra, index, path, checkpoint }. */
export function parseTlogProof(text) {
  const lines = text.split("\n");
  if (lines[0] !== "c2sp.org/tlog-proof@v1") fail("not a c2sp.org/tlog-proof@v1 file");
  let i = 1;
  let extra = null;
  if (lines[i]?.startsWith("extra ")) {
    extra = fromB64(lines[i].slice(6));
    if (!extra) fail("tlog-proof has malformed extra data");
    i++;
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i] ?? "");
  if (!m) fail("tlog-proof has no index line");
  i++;
  const path = [];
  for (; i < lines.length && lines[i] !== ""; i++) {
    const h = fromB64(lines[i]);
    if (!h || h.length !== 32) fail("tlog-proof has a malformed proof line");
    path.push(h);
  }
  if (lines[i] !== "") fail("tlog-proof has no checkpoint");
  return { extra, index: Number(m[1]), path, checkpoint: lines.slice(i + 1).join("\n") };
}

// --- the command ---
const OPTIONS = { vkey: "one", witness: "many", quorum: "one", url: "one", checkpoint: "one", proof: "one", event: "one", salt: "one", index: "one", "old-checkpoint": "one", "consistency-proof": "one", "save-checkpoint": "one" };

function parseArgv(argv) {
  const o = { witness: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith("--") ? a.slice(2) : null;
    if (!name || !(name in OPTIONS)) fail(`unknown argument ${JSON.stringify(a)}`);
    const v = argv[++i];
    if (v === undefined) fail(`--${name} needs a value`);
    if (OPTIONS[name] === "many") o[name].push(v);
    else o[name] = v;
  }
  return o;
}

async function getJson(io, url) {
  const res = await io.fetch(url, { headers: { accept: "application/json" } });
  const body = await res.text();
  if (!res.ok) fail(`server answered ${res.status} for ${new URL(url).pathname}`);
  try {
    return JSON.parse(body);
  } catch {
    fail(`server sent no JSON for ${new URL(url).pathname}`);
  }
}

async function getText(io, url) {
  const res = await io.fetch(url);
  if (!res.ok) fail(`server answered ${res.status} for ${new URL(url).pathname}`);
  return res.text();
}

/** Runs the verifier; returns { ok, reason }. `io` supplies fetch, readFile and writeFile. */
export async function verifyLog(argv, io = { fetch: globalThis.fetch, readFile: (p) => readFile(p, "utf8"), writeFile: (p, d) => writeFile(p, d) }) {
  try {
    const o = parseArgv(argv);
    if (!o.vkey) fail("--vkey <log verifier key> is required (pin the key from /api/v1/transparency-log/sth)");
    const logKey = parseVkey(o.vkey, [0x01]);
    const witnesses = o.witness.map((w) => parseVkey(w, [0x01, 0x04]));
    const quorum = o.quorum === undefined ? witnesses.length : Number(o.quorum);
    if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) fail("--quorum must be between 0 and the number of --witness keys");
    const base = o.url ? new URL(o.url).origin + new URL(o.url).pathname.replace(/\/$/, "") : null;
    const api = (p) => `${base}/api/v1/transparency-log${p}`;
    const notes = [];

    // The inclusion proof (and the checkpoint it came with), if one is asked for.
    let inclusion = null;
    if (o.proof) {
      const p = parseTlogProof(await io.readFile(o.proof));
      inclusion = { index: p.index, path: p.path, leaf: p.extra, checkpoint: p.checkpoint };
    } else if (o.index !== undefined) {
      if (!base) fail("--index needs --url (or use --proof with a tlog-proof file)");
      if (!/^(0|[1-9][0-9]*)$/.test(o.index)) fail("--index must be a leaf index");
      const r = await getJson(io, api(`/proof/${o.index}`));
      const path = (r.inclusion_path ?? []).map(fromB64);
      if (path.some((h) => !h)) fail("server sent a malformed inclusion path");
      inclusion = { index: Number(o.index), path, leaf: typeof r.leaf === "string" ? enc.encode(r.leaf) : null, checkpoint: r.checkpoint };
    }

    let note = inclusion?.checkpoint;
    if (!note && o.checkpoint) note = await io.readFile(o.checkpoint);
    if (!note && base) note = await getText(io, api("/checkpoint"));
    if (!note) fail("nothing to verify: give --checkpoint, --proof, or --url");
    const cp = openCheckpoint(note, logKey, witnesses);
    if (cp.cosigned.length < quorum) fail(`only ${cp.cosigned.length} of ${witnesses.length} witness cosignatures verify (need ${quorum})`);
    notes.push(`checkpoint ${cp.origin} size ${cp.size} signed${witnesses.length ? `, cosigned by ${cp.cosigned.length}/${witnesses.length} witnesses` : ""}`);

    if (inclusion) {
      let leaf = inclusion.leaf;
      if (o.event) {
        let event;
        try {
          event = JSON.parse(await io.readFile(o.event));
        } catch {
          fail("--event is not a JSON file");
        }
        let salt = null;
        if (o.salt !== undefined) {
          salt = fromB64(o.salt);
          if (!salt) fail("--salt is not base64");
        }
        leaf = enc.encode(leafForEvent(event, salt));
      } else if (o.salt !== undefined) fail("--salt goes with --event");
      if (!leaf) fail("no leaf to check: give --event <event.json>");
      const root = rootFromInclusion(inclusion.index, cp.size, hashLeaf(leaf), inclusion.path);
      if (!root || !eq(root, cp.root)) fail(`leaf ${inclusion.index} is not in the log: the inclusion proof does not verify${o.event ? " for this event" : ""}`);
      notes.push(`leaf ${inclusion.index} included`);
    }

    if (o["old-checkpoint"]) {
      const old = openCheckpoint(await io.readFile(o["old-checkpoint"]), logKey, []);
      if (old.size > cp.size) fail(`the log went backwards: saved checkpoint has size ${old.size}, newer one ${cp.size}`);
      let proof = [];
      if (old.size < cp.size) {
        if (o["consistency-proof"]) proof = (await io.readFile(o["consistency-proof"])).split("\n").filter(Boolean).map(fromB64);
        else if (base) proof = ((await getJson(io, api(`/consistency?first=${old.size}&second=${cp.size}`))).consistency_path ?? []).map(fromB64);
        else fail("consistency needs --consistency-proof <file> or --url");
        if (proof.some((h) => !h)) fail("malformed consistency proof");
      }
      if (old.size === 0 ? false : !verifyConsistency(old.size, cp.size, old.root, cp.root, proof)) fail(`fork: the checkpoint of size ${cp.size} is not consistent with the saved checkpoint of size ${old.size}`);
      notes.push(`consistent with saved size ${old.size}`);
    }

    if (o["save-checkpoint"]) await io.writeFile(o["save-checkpoint"], note);
    return { ok: true, reason: notes.join("; ") };
  } catch (err) {
    if (err instanceof VerifyError) return { ok: false, reason: err.message };
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await verifyLog(process.argv.slice(2));
  process.stdout.write(`${r.ok ? "OK" : "FAIL"}: ${r.reason}\n`);
  process.exitCode = r.ok ? 0 : 1;
}
