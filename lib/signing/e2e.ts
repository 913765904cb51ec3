/**
 * End-to-end encryption of the point-to-point key-generation messages between the user's browser
 * (party 2) and the agent (party 0), relayed by the server (issue #10). Isomorphic: @noble for
 * X25519, HKDF and HMAC, WebCrypto (`crypto.subtle`, Node 20 and browsers) for AES-256-GCM.
 *
 * - Each side has an ephemeral X25519 key pair bound to one ceremony. The browser's public key `k`
 *   and a 32-byte pin `p` travel to the agent out of band, in the invitation (never to the server).
 * - The agent announces its key to the server with `HMAC-SHA256(pin, "countersign/dkg-join/v1|"
 *   ceremonyId|agentKey|userKey)`; the browser checks that MAC before it encrypts anything to the
 *   agent, so a server that substitutes its own key is caught (it does not know the pin).
 * - Message key: HKDF-SHA256(X25519(own, peer), salt = ceremonyId, info = "countersign/dkg-e2e/v1").
 *   The envelope keeps `v, protocol, sid, round, from, to`; the payload becomes
 *   `{ e2e: { v: 1, iv: hex12, ct: hex } }`, AES-256-GCM with associated data
 *   `ceremonyId|protocol|round|from|to`, so a ciphertext cannot be replayed to another round,
 *   direction or ceremony.
 */
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Message } from "@/lib/mpc";

export const E2E_INFO = "countersign/dkg-e2e/v1";
export const JOIN_MAC_TAG = "countersign/dkg-join/v1";
const HEX32 = /^[0-9a-f]{64}$/;
const PARTY_NAMES: Record<number, string> = { 0: "the agent (party 0)", 1: "the server (party 1)", 2: "the user (party 2)" };
export const partyName = (i: number) => PARTY_NAMES[i] ?? `party ${i}`;

/**
 * A client's keys for one ceremony. The X25519 key is derived from an Ed25519 identity key (the
 * birational map, as libsodium's crypto_sign_ed25519_pk_to_curve25519): the identity signs the
 * party's protocol messages (message-auth.ts), and whoever pinned the X25519 key (through the
 * invitation or the pin MAC) has pinned the identity too — `e2eKeyOfIdentity` maps one to the other.
 */
export type E2eKeyPair = { privateKey: Uint8Array; publicKey: string; identity: { secretKey: Uint8Array; publicKey: string } };
export type E2ePayload = { e2e: { v: 1; iv: string; ct: string } };

/** Raised when a relayed message cannot be opened: tampered, wrong key, or not encrypted at all. */
export class E2eError extends Error {
  override name = "E2eError";
  constructor(message: string, readonly from?: number) {
    super(message);
  }
}

/** Fresh ephemeral keys for one ceremony: Ed25519 identity and the X25519 key derived from it (hex public keys). */
export function generateE2eKeyPair(): E2eKeyPair {
  const secretKey = ed25519.utils.randomSecretKey();
  const identityPublic = ed25519.getPublicKey(secretKey);
  const privateKey = ed25519.utils.toMontgomerySecret(secretKey);
  return { privateKey, publicKey: bytesToHex(x25519.getPublicKey(privateKey)), identity: { secretKey, publicKey: bytesToHex(identityPublic) } };
}

/**
 * The ceremony's identity keys as a client may use them: the server's as announced, the peer's only
 * if it is the identity behind the X25519 key this client pinned (pin MAC or invitation). Throws
 * E2eError naming the peer otherwise.
 */
export function pinnedIdentities(input: { announced: Record<string, string>; own: { index: number; identityKey: string }; peer: { index: number; e2eKey: string; identityKey: string | null | undefined } }): Record<string, string> {
  const { announced, own, peer } = input;
  if (!peer.identityKey || e2eKeyOfIdentity(peer.identityKey) !== peer.e2eKey) throw new E2eError(`The identity announced for ${partyName(peer.index)} is not the one behind its pinned key: refusing to run key generation`, peer.index);
  if (announced[own.index] !== undefined && announced[own.index] !== own.identityKey) throw new E2eError("The server announced another identity for this party than its own: refusing to run key generation");
  const server = announced["1"];
  if (!server) throw new E2eError("The server announced no identity of its own");
  return { "1": server, [own.index]: own.identityKey, [peer.index]: peer.identityKey };
}

/** The X25519 public key that belongs to an Ed25519 identity public key (hex), or null if it is not a valid point. */
export function e2eKeyOfIdentity(identityPublicKey: string): string | null {
  if (!HEX32.test(identityPublicKey)) return null;
  try {
    return bytesToHex(ed25519.utils.toMontgomery(hexToBytes(identityPublicKey)));
  } catch {
    return null;
  }
}

export function isE2ePublicKey(v: unknown): v is string {
  return typeof v === "string" && HEX32.test(v);
}

/** 32 random bytes as hex: the pin that authenticates the agent's key (kept off the server). */
export function generatePin(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

function joinMacInput(ceremonyId: string, agentKey: string, userKey: string) {
  return utf8ToBytes(`${JOIN_MAC_TAG}|${ceremonyId}|${agentKey}|${userKey}`);
}

/** hex(HMAC-SHA256(pin, "countersign/dkg-join/v1|" + ceremonyId + "|" + agentKey + "|" + userKey)). */
export function joinMac(pinHex: string, ceremonyId: string, agentKey: string, userKey: string): string {
  if (!HEX32.test(pinHex)) throw new E2eError("The pin must be 32 bytes of lowercase hex");
  return bytesToHex(hmac(sha256, hexToBytes(pinHex), joinMacInput(ceremonyId, agentKey, userKey)));
}

/** Constant-time check of the agent's key MAC. */
export function verifyJoinMac(pinHex: string, ceremonyId: string, agentKey: string, userKey: string, mac: string): boolean {
  if (!isE2ePublicKey(agentKey) || !isE2ePublicKey(userKey) || !HEX32.test(mac)) return false;
  const expected = hexToBytes(joinMac(pinHex, ceremonyId, agentKey, userKey));
  const given = hexToBytes(mac);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ given[i]!;
  return diff === 0;
}

/**
 * Throws unless `agentKey` is the key the agent announced with the pin: what the browser runs on the
 * `dkg.agent` it reads from POST /dkg/init, before it encrypts anything to the agent.
 */
export function assertAgentKey(input: { pin: string; ceremonyId: string; agentKey: string | null | undefined; agentKeyMac: string | null | undefined; userKey: string }): string {
  const { agentKey, agentKeyMac } = input;
  if (!agentKey || !agentKeyMac || !verifyJoinMac(input.pin, input.ceremonyId, agentKey, input.userKey, agentKeyMac)) {
    throw new E2eError(
      "The agent's key reported by the server is not the one the agent announced with this invitation's pin: the server or the network substituted it. Nothing was encrypted to it; start over with a new signer.",
      0,
    );
  }
  return agentKey;
}

/** The AES-256-GCM key both sides derive from their X25519 key pairs, bound to the ceremony. */
export async function deriveE2eKey(opts: { privateKey: Uint8Array; peerPublicKey: string; ceremonyId: string }): Promise<CryptoKey> {
  if (!isE2ePublicKey(opts.peerPublicKey)) throw new E2eError("The peer's X25519 public key must be 32 bytes of lowercase hex");
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(opts.privateKey, hexToBytes(opts.peerPublicKey));
  } catch {
    throw new E2eError("The peer's X25519 public key is invalid (low order)");
  }
  const raw = hkdf(sha256, shared, utf8ToBytes(opts.ceremonyId), utf8ToBytes(E2E_INFO), 32);
  shared.fill(0);
  try {
    return await crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  } finally {
    raw.fill(0);
  }
}

/** Associated data: `ceremonyId|protocol|round|from|to`. */
export function e2eAssociatedData(ceremonyId: string, m: Pick<Message, "protocol" | "round" | "from" | "to">): Uint8Array<ArrayBuffer> {
  return new Uint8Array(utf8ToBytes(`${ceremonyId}|${m.protocol}|${m.round}|${m.from}|${m.to}`));
}

/** True when `payload` has exactly the envelope's shape `{ e2e: { v: 1, iv: hex12, ct: hex } }`. */
export function isE2ePayload(payload: unknown): payload is E2ePayload {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return false;
  const keys = Object.keys(payload);
  if (keys.length !== 1 || keys[0] !== "e2e") return false;
  const e = (payload as { e2e: unknown }).e2e;
  if (typeof e !== "object" || e === null || Array.isArray(e)) return false;
  const ek = Object.keys(e).sort();
  if (ek.join() !== "ct,iv,v") return false;
  const { v, iv, ct } = e as Record<string, unknown>;
  // ct: at least the 16-byte tag; bounded by the body limit upstream.
  return v === 1 && typeof iv === "string" && /^[0-9a-f]{24}$/.test(iv) && typeof ct === "string" && ct.length >= 32 && ct.length % 2 === 0 && /^[0-9a-f]+$/.test(ct);
}

/** Encrypts a message's payload; the envelope fields stay readable for routing. */
export async function sealMessage(key: CryptoKey, ceremonyId: string, m: Message): Promise<Message> {
  if (typeof m.to !== "number") throw new E2eError("Only point-to-point messages are end-to-end encrypted");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = utf8ToBytes(JSON.stringify(m.payload));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: e2eAssociatedData(ceremonyId, m) }, key, new Uint8Array(plain)));
  plain.fill(0);
  const payload: E2ePayload = { e2e: { v: 1, iv: bytesToHex(iv), ct: bytesToHex(ct) } };
  return { ...m, payload };
}

/** Decrypts a relayed message; throws E2eError naming the sender when it is not authentic. */
export async function openMessage(key: CryptoKey, ceremonyId: string, m: Message): Promise<Message> {
  const where = `${m.protocol} round ${m.round}`;
  if (!isE2ePayload(m.payload)) throw new E2eError(`A point-to-point message from ${partyName(m.from)} (${where}) arrived without end-to-end encryption; refusing it`, m.from);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(hexToBytes(m.payload.e2e.iv)), additionalData: e2eAssociatedData(ceremonyId, m) }, key, new Uint8Array(hexToBytes(m.payload.e2e.ct))),
    );
  } catch {
    throw new E2eError(`The end-to-end encrypted message from ${partyName(m.from)} (${where}) failed authentication: it was altered in transit or sealed under another key`, m.from);
  }
  try {
    return { ...m, payload: JSON.parse(new TextDecoder().decode(plain)) as unknown };
  } catch {
    throw new E2eError(`The end-to-end encrypted message from ${partyName(m.from)} (${where}) does not hold JSON`, m.from);
  } finally {
    plain.fill(0);
  }
}

/** What driveCeremony uses to seal p2p messages to, and open those from, remote client parties. */
export interface P2pCodec {
  /** Remote client parties whose point-to-point messages are end-to-end encrypted. */
  readonly peers: readonly number[];
  seal(m: Message): Promise<Message>;
  open(m: Message): Promise<Message>;
}

/** A codec for one peer: derives the key once, then seals and opens with it. */
export function e2eCodec(opts: { ceremonyId: string; privateKey: Uint8Array; peerPublicKey: string; peer: number }): P2pCodec {
  let key: Promise<CryptoKey> | undefined;
  const k = () => (key ??= deriveE2eKey({ privateKey: opts.privateKey, peerPublicKey: opts.peerPublicKey, ceremonyId: opts.ceremonyId }));
  return {
    peers: [opts.peer],
    seal: async (m) => sealMessage(await k(), opts.ceremonyId, m),
    open: async (m) => openMessage(await k(), opts.ceremonyId, m),
  };
}

// ---------------------------------------------------------------------------------------------------
// The invitation string: `cs-join:v1:` + base64url(JSON { u, c, t, k, p, f? }), built by the browser.

export const INVITATION_PREFIX = "cs-join:v1:";
/** Security profiles an invitation may name (lib/mpc/params.ts: FAST_TEST.name, PRODUCTION.name). */
export const INVITATION_PROFILES = ["production", "fast-test"] as const;
export type JoinInvitation = {
  baseUrl: string;
  ceremonyId: string;
  token: string;
  userKey: string;
  pin: string;
  /**
   * The ceremony's security profile (`f`), so the agent starts its safe primes before it has
   * joined; the server's answer must then name the same one. Absent in invitations from before it.
   */
  profile?: (typeof INVITATION_PROFILES)[number];
};

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new E2eError("The invitation is not base64url");
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The invitation's `profile` for a ceremony's profile name: left out when this code does not know it (the agent then learns it from the join). */
export function invitationProfile(name: string): JoinInvitation["profile"] {
  return INVITATION_PROFILES.find((p) => p === name);
}

export function encodeInvitation(inv: JoinInvitation): string {
  return INVITATION_PREFIX + base64url(utf8ToBytes(JSON.stringify({ u: inv.baseUrl, c: inv.ceremonyId, t: inv.token, k: inv.userKey, p: inv.pin, ...(inv.profile ? { f: inv.profile } : {}) })));
}

export class InvitationFormatError extends Error {
  override name = "InvitationFormatError";
}

export function decodeInvitation(text: string): JoinInvitation {
  const trimmed = text.trim();
  if (!trimmed.startsWith(INVITATION_PREFIX)) throw new InvitationFormatError(`An invitation starts with ${INVITATION_PREFIX}`);
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(new TextDecoder().decode(fromBase64url(trimmed.slice(INVITATION_PREFIX.length)))) as Record<string, unknown>;
  } catch {
    throw new InvitationFormatError("The invitation is damaged (not base64url JSON); copy it again");
  }
  const { u, c, t, k, p, f } = o ?? {};
  if (typeof u !== "string" || !/^https?:\/\//.test(u)) throw new InvitationFormatError("The invitation has no server URL");
  if (typeof c !== "string" || !/^[0-9a-f-]{36}$/.test(c)) throw new InvitationFormatError("The invitation has no ceremony id");
  if (typeof t !== "string" || !/^csi_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/.test(t)) throw new InvitationFormatError("The invitation has no valid token");
  if (!isE2ePublicKey(k)) throw new InvitationFormatError("The invitation has no valid user key");
  if (typeof p !== "string" || !HEX32.test(p)) throw new InvitationFormatError("The invitation has no valid pin");
  if (f !== undefined && !INVITATION_PROFILES.includes(f as never)) throw new InvitationFormatError(`The invitation names a security profile this agent does not know: ${JSON.stringify(f)}`);
  return { baseUrl: u, ceremonyId: c, token: t, userKey: k, pin: p, ...(f !== undefined ? { profile: f as JoinInvitation["profile"] } : {}) };
}
