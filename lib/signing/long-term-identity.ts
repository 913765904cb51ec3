/**
 * The client parties' long-term identities (Ed25519), registered on the signer:
 *
 * - the agent's is the identity it signed its key-generation messages with; it lives in its share
 *   file next to the share, and the agent signs every later session with it directly;
 * - the user's is derived from the secret that seals the user share (the passkey's PRF output, the
 *   wallet signature or the passphrase, user-share-crypto.ts), so only whoever can open the share
 *   can produce it. The browser opens a session with a fresh key (the review comes before the
 *   passkey prompt) and, once the passkey answered, certifies that key with the long-term one.
 *
 * A certificate is an Ed25519 signature by the long-term key over (signer, session id, session key):
 * it cannot be replayed to another session or signer. Isomorphic (Node and browsers).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "./message-auth";

const CERT_DOMAIN = "countersign/identity-cert/v1\n";
const ROTATION_DOMAIN = "countersign/identity-rotation/v1\n";

export const IDENTITY_KEY_PATTERN = /^[0-9a-f]{64}$/;
const SIGNATURE_PATTERN = /^[0-9a-f]{128}$/;

export type SessionBinding = { signerId: string; sid: string; sessionKey: string };

function sign(domain: string, payload: unknown, secretKey: Uint8Array): string {
  return bytesToHex(ed25519.sign(utf8ToBytes(domain + canonicalJson(payload)), secretKey));
}

function verify(domain: string, payload: unknown, signature: unknown, publicKey: string): boolean {
  if (typeof signature !== "string" || !SIGNATURE_PATTERN.test(signature) || !IDENTITY_KEY_PATTERN.test(publicKey)) return false;
  try {
    return ed25519.verify(hexToBytes(signature), utf8ToBytes(domain + canonicalJson(payload)), hexToBytes(publicKey), { zip215: false });
  } catch {
    return false;
  }
}

/** The long-term key vouches for the key a session's messages are signed with. */
export function certifySessionKey(secretKey: Uint8Array, b: SessionBinding): string {
  return sign(CERT_DOMAIN, { signerId: b.signerId, sid: b.sid, sessionKey: b.sessionKey }, secretKey);
}

export function verifySessionCertificate(longTermKey: string, certificate: unknown, b: SessionBinding): boolean {
  return verify(CERT_DOMAIN, { signerId: b.signerId, sid: b.sid, sessionKey: b.sessionKey }, certificate, longTermKey);
}

/** The registered key hands over to a new one (the user share re-sealed under another secret). */
export function signRotation(oldSecretKey: Uint8Array, r: { signerId: string; newKey: string }): string {
  return sign(ROTATION_DOMAIN, { signerId: r.signerId, newKey: r.newKey }, oldSecretKey);
}

export function verifyRotation(oldKey: string, signature: unknown, r: { signerId: string; newKey: string }): boolean {
  return verify(ROTATION_DOMAIN, { signerId: r.signerId, newKey: r.newKey }, signature, oldKey);
}

/**
 * Whether a session's announced key speaks for the registered identity: it is that identity, or
 * the identity certified it. No registered identity (a signer from before): nothing to check.
 */
export function sessionKeyStanding(input: { registered: string | null; sessionKey: string | undefined; certificate?: unknown; signerId: string; sid: string }): "unregistered" | "certified" | "uncertified" {
  if (!input.registered) return "unregistered";
  if (!input.sessionKey) return "uncertified";
  if (input.sessionKey === input.registered) return "certified";
  return verifySessionCertificate(input.registered, input.certificate, { signerId: input.signerId, sid: input.sid, sessionKey: input.sessionKey }) ? "certified" : "uncertified";
}
