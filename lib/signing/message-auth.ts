/**
 * Authenticated blame (spec M2): every protocol message a party sends carries an Ed25519 signature
 * under that party's identity key for the ceremony, over a canonical encoding of the whole envelope
 * (sid, protocol, round, from, to, payload — the plaintext payload, before any end-to-end sealing).
 * A party that receives a message with a missing or wrong signature blames its sender; a party that
 * blames another for a failed check keeps the blamed party's signed messages of that round as
 * evidence, which anyone holding the identity keys can check with `verifyEvidence` — the server
 * cannot invent a client's fault, nor a client the server's. Isomorphic (Node and browsers).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Message, ProtocolBlame } from "@/lib/mpc";

const DOMAIN = "countersign/party-message/v1\n";

/** A message as it travels with its sender's signature (`auth` is ignored by the protocol code). */
export type SignedMessage = Message & { auth?: { sig: string } };

/** Public identity keys (Ed25519, hex) of a ceremony's parties, by party index. */
export type IdentityKeys = Record<number, string>;

/** What a party can show a third party to back a blame: the blamed party's own signed messages. */
export type BlameEvidence = { identityKey: string; messages: SignedMessage[] };
export type AuthenticatedBlame = ProtocolBlame & { evidence?: BlameEvidence };

/** Deterministic JSON: object keys sorted, no whitespace. Protocol payloads are plain JSON data. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("non-finite number in a signed message");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function signedBytes(m: Message): Uint8Array {
  const { v, protocol, sid, round, from, to, payload } = m;
  return utf8ToBytes(DOMAIN + canonicalJson({ v, protocol, sid, round, from, to, payload }));
}

export function newIdentityKey(): { secretKey: Uint8Array; publicKey: string } {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: bytesToHex(ed25519.getPublicKey(secretKey)) };
}

export function identityPublicKey(secretKey: Uint8Array): string {
  return bytesToHex(ed25519.getPublicKey(secretKey));
}

export function signMessage(m: Message, secretKey: Uint8Array): SignedMessage {
  const { auth: _drop, ...bare } = m as SignedMessage;
  return { ...bare, auth: { sig: bytesToHex(ed25519.sign(signedBytes(bare), secretKey)) } };
}

export function verifyMessage(m: SignedMessage, identityKey: string): boolean {
  if (!m.auth || typeof m.auth.sig !== "string" || !/^[0-9a-f]{128}$/.test(m.auth.sig) || !/^[0-9a-f]{64}$/.test(identityKey)) return false;
  try {
    return ed25519.verify(hexToBytes(m.auth.sig), signedBytes(m), hexToBytes(identityKey), { zip215: false });
  } catch {
    return false;
  }
}

/** The protocol message without its signature, as the state machines expect it. */
export function stripAuth(m: SignedMessage): Message {
  const { auth: _drop, ...bare } = m;
  return bare;
}

/**
 * Checks a blame someone else produced: the evidence must be signed by the blamed party's identity
 * key, belong to the blamed round and protocol, and come from that party. Returns why it fails, or
 * null when the evidence stands (the named check can then be re-run on the messages themselves).
 */
export function verifyEvidence(blame: AuthenticatedBlame, identityKeys: IdentityKeys): string | null {
  const key = identityKeys[blame.party];
  if (!key) return `no identity key for party ${blame.party}`;
  const ev = blame.evidence;
  if (!ev || ev.messages.length === 0) return "no evidence";
  if (ev.identityKey !== key) return "evidence names a different identity key";
  for (const m of ev.messages) {
    if (m.from !== blame.party) return `evidence holds a message from party ${m.from}`;
    if (m.protocol !== blame.protocol || m.round !== blame.round) return "evidence is from another round";
    if (!verifyMessage(m, key)) return "evidence is not signed by the blamed party";
  }
  return null;
}
