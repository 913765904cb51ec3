import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { HASH_SIZE } from "./merkle";

/**
 * C2SP signed-note (https://c2sp.org/signed-note), tlog-checkpoint and tlog-cosignature (Ed25519):
 * key ids, verifier keys ("vkeys"), signing and opening notes, checkpoints and cosignatures. Pure.
 */
export class NoteError extends Error {}

export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** Standard base64 with padding; btoa/atob rather than Buffer so this file also runs in the browser. */
export function b64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Strict standard base64 with padding (no whitespace, no url alphabet); null when not. */
export function fromB64(s: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return null;
  const binary = atob(s);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return b64(out) === s ? out : null;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A key name: non-empty, no Unicode spaces, no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f\u007f]/.test(name);
}

/** SHA-256(name || "\n" || alg || public key)[:4] */
export function keyId(name: string, alg: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concat(enc.encode(name), new Uint8Array([0x0a, alg]), publicKey)).slice(0, 4);
}

export type Verifier = {
  name: string;
  keyId: Uint8Array;
  alg: number;
  publicKey: Uint8Array;
};

export type Signer = Verifier & { seed: Uint8Array };

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export function encodeVkey(v: Pick<Verifier, "name" | "alg" | "publicKey">): string {
  return `${v.name}+${hex(keyId(v.name, v.alg, v.publicKey))}+${b64(concat(new Uint8Array([v.alg]), v.publicKey))}`;
}

/**
 * Parses `<name>+<hex key id>+<base64(alg || key)>`. Accepts Ed25519 note keys (0x01) and, when
 * asked, Ed25519 cosigner keys (0x04); the key id must match the key.
 */
export function parseVkey(vkey: string, accept: readonly number[] = [ALG_ED25519]): Verifier {
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!m) throw new NoteError("malformed verifier key");
  const [name, idHex, keyB64] = [m[1]!, m[2]!, m[3]!];
  if (!isValidKeyName(name)) throw new NoteError("invalid key name");
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError("malformed key id");
  const key = fromB64(keyB64);
  if (!key || key.length !== 33) throw new NoteError("malformed public key");
  const alg = key[0]!;
  if (!accept.includes(alg)) throw new NoteError("unknown key algorithm");
  const publicKey = key.slice(1);
  const id = keyId(name, alg, publicKey);
  if (hex(id) !== idHex) throw new NoteError("key id does not match the key");
  return { name, keyId: id, alg, publicKey };
}

/** Go's `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>` (also 0x04 for a cosigner). */
export function parseSkey(skey: string): Signer {
  const m = /^PRIVATE\+KEY\+([^+]*)\+([^+]*)\+(.*)$/s.exec(skey);
  if (!m) throw new NoteError("malformed signer key");
  const [name, idHex] = [m[1]!, m[2]!];
  const key = fromB64(m[3]!);
  if (!isValidKeyName(name) || !key || key.length !== 33 || (key[0] !== ALG_ED25519 && key[0] !== ALG_COSIGNATURE_V1)) throw new NoteError("malformed signer key");
  const signer = signerFromSeed(name, key.slice(1), key[0]);
  if (hex(signer.keyId) !== idHex) throw new NoteError("key id does not match the key");
  return signer;
}

export function encodeSkey(s: Signer): string {
  return `PRIVATE+KEY+${s.name}+${hex(s.keyId)}+${b64(concat(new Uint8Array([s.alg]), s.seed))}`;
}

export function signerFromSeed(name: string, seed: Uint8Array, alg: number = ALG_ED25519): Signer {
  if (!isValidKeyName(name)) throw new NoteError("invalid key name");
  if (seed.length !== 32) throw new NoteError("Ed25519 seed must be 32 bytes");
  const publicKey = ed25519.getPublicKey(seed);
  return { name, alg, publicKey, keyId: keyId(name, alg, publicKey), seed };
}

export function generateSigner(name: string, alg: number = ALG_ED25519): Signer {
  return signerFromSeed(name, ed25519.utils.randomSecretKey(), alg);
}

/** RFC 8032 verification, strict: canonical S and encodings (as OpenSSL and Go's crypto/ed25519). */
export function ed25519Verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
  if (sig.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(sig, msg, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Note text: valid UTF-8 (a string here), no control characters but newline, ends with a newline. */
function checkText(text: string) {
  if (!text.endsWith("\n")) throw new NoteError("note text must end with a newline");
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new NoteError("note text contains a control character");
  if (/[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) throw new NoteError("note text is not valid UTF-8");
}

export function signatureLine(name: string, blob: Uint8Array): string {
  return `\u2014 ${name} ${b64(blob)}\n`;
}

/** Signs `text` as a note with the log's Ed25519 key: returns text + blank line + signature line. */
export function signNote(text: string, signer: Signer): string {
  checkText(text);
  if (signer.alg !== ALG_ED25519) throw new NoteError("note signatures use an Ed25519 (0x01) key");
  const sig = ed25519.sign(enc.encode(text), signer.seed);
  return `${text}\n${signatureLine(signer.name, concat(signer.keyId, sig))}`;
}

export type NoteSignature = { name: string; keyId: Uint8Array; blob: Uint8Array };

/** Splits a note at its last blank line into text and signature lines (no verification). */
export function parseNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  let s: string;
  if (typeof note === "string") s = note;
  else {
    try {
      s = dec.decode(note);
    } catch {
      throw new NoteError("note is not valid UTF-8");
    }
  }
  const split = s.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("note has no signature block");
  const text = s.slice(0, split + 1);
  checkText(text);
  const block = s.slice(split + 2);
  if (!block.endsWith("\n")) throw new NoteError("note must end with a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > 100) throw new NoteError("too many signatures");
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m || !isValidKeyName(m[1]!)) throw new NoteError("malformed signature line");
    const blob = fromB64(m[2]!);
    if (!blob || blob.length < 5) throw new NoteError("malformed signature");
    signatures.push({ name: m[1]!, keyId: blob.slice(0, 4), blob: blob.slice(4) });
  }
  if (!signatures.length) throw new NoteError("note has no signatures");
  return { text, signatures };
}

const sameId = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The message a cosigner signs (tlog-cosignature, Ed25519). */
export function cosignedMessage(text: string, timestamp: bigint): Uint8Array {
  return enc.encode(`cosignature/v1\ntime ${timestamp.toString()}\n${text}`);
}

function u64be(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

/** A cosignature line over a note's text (a checkpoint), made by a witness at `timestamp` (seconds). */
export function cosign(text: string, signer: Signer, timestamp: bigint): string {
  checkText(text);
  if (signer.alg !== ALG_COSIGNATURE_V1) throw new NoteError("cosignatures use a 0x04 cosigner key");
  if (timestamp < 0n || timestamp > 2n ** 63n - 1n) throw new NoteError("timestamp out of range");
  const sig = ed25519.sign(cosignedMessage(text, timestamp), signer.seed);
  return signatureLine(signer.name, concat(signer.keyId, u64be(timestamp), sig));
}

export type VerifiedSignature = { name: string; keyId: string; alg: number; timestamp?: bigint };

/** Checks one signature against one verifier whose name and key id it carries. */
function verifyOne(text: string, s: NoteSignature, v: Verifier): VerifiedSignature | null {
  if (v.alg === ALG_ED25519) {
    return ed25519Verify(s.blob, enc.encode(text), v.publicKey) ? { name: v.name, keyId: hex(v.keyId), alg: v.alg } : null;
  }
  if (v.alg === ALG_COSIGNATURE_V1) {
    if (s.blob.length !== 72) return null;
    const timestamp = new DataView(s.blob.buffer, s.blob.byteOffset, 8).getBigUint64(0);
    if (timestamp > 2n ** 63n - 1n) return null;
    return ed25519Verify(s.blob.slice(8), cosignedMessage(text, timestamp), v.publicKey) ? { name: v.name, keyId: hex(v.keyId), alg: v.alg, timestamp } : null;
  }
  return null;
}

/**
 * Opens a signed note: signatures from unknown keys are ignored, a signature from a known key that
 * fails rejects the note, and at least one known signature must verify.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly Verifier[]): { text: string; verified: VerifiedSignature[] } {
  const { text, signatures } = parseNote(note);
  const verified: VerifiedSignature[] = [];
  for (const s of signatures) {
    const v = verifiers.find((k) => k.name === s.name && sameId(k.keyId, s.keyId));
    if (!v) continue;
    const ok = verifyOne(text, s, v);
    if (!ok) throw new NoteError(`invalid signature by ${s.name}`);
    if (!verified.some((x) => x.name === ok.name && x.keyId === ok.keyId)) verified.push(ok);
  }
  if (!verified.length) throw new NoteError("no known signature verifies");
  return { text, verified };
}

// --- tlog-checkpoint ---

export type Checkpoint = { origin: string; size: bigint; rootHash: Uint8Array; extensions: string[] };

export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || c.origin.includes("\n")) throw new NoteError("invalid origin");
  if (c.rootHash.length !== HASH_SIZE) throw new NoteError("root hash must be 32 bytes");
  return `${c.origin}\n${c.size.toString()}\n${b64(c.rootHash)}\n${c.extensions.map((e) => `${e}\n`).join("")}`;
}

/** Parses a checkpoint body (the note text): origin, decimal size < 2^64 without leading zeros, base64 root. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new NoteError("checkpoint must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new NoteError("checkpoint needs origin, size and root hash");
  const [origin = "", sizeText = "", rootText = "", ...extensions] = lines;
  if (!origin) throw new NoteError("empty origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new NoteError("malformed tree size");
  const size = BigInt(sizeText);
  if (size >= 2n ** 64n) throw new NoteError("tree size out of range");
  const rootHash = fromB64(rootText);
  if (!rootHash || rootHash.length !== HASH_SIZE) throw new NoteError("malformed root hash");
  if (extensions.some((e) => e === "")) throw new NoteError("empty extension line");
  return { origin, size, rootHash, extensions };
}
