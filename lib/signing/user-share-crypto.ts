/**
 * The human's key share (party 2) encrypted in the browser before it leaves it. Isomorphic and pure
 * apart from WebCrypto: the browser calls it with the output of a WebAuthn PRF assertion, a wallet
 * signature (seed 000) or a passphrase; the server only ever stores the result and cannot open it.
 *
 * - webauthn-prf: key = HKDF-SHA256(ikm = PRF output for `salt`, salt = salt, info = context).
 * - wallet-signature: key = HKDF-SHA256(ikm = the 65-byte signature of walletMessage(), same salt and info).
 * - passphrase: key = PBKDF2-SHA256(passphrase NFKC, salt, 600 000 iterations).
 * The cipher is AES-256-GCM with every metadata field (scheme, signer, credential or wallet, salt,
 * kdf) bound as associated data, so the stored record cannot be moved to another signer or edited.
 */
import type { KeyShare } from "@/lib/mpc";

export const USER_SHARE_FORMAT = "countersign-user-share/v1";
export const PRF_SALT_BYTES = 32;
export const IV_BYTES = 12;
export const PBKDF2_ITERATIONS = 600_000;

export type UserShareScheme = "webauthn-prf" | "wallet-signature" | "passphrase";

/** The `encryption` object stored next to the ciphertext (POST /signers/{id}/user-share). */
export type UserShareEncryption = {
  scheme: UserShareScheme;
  credentialId?: string;
  walletAddress?: string;
  salt: string;
  iv: string;
  kdf: string;
};

export type UserShareRecord = { ciphertext: string; encryption: UserShareEncryption };

/** What is inside: the encoded key share and the security profile the server announced at DKG. */
export type UserSharePayload = { format: typeof USER_SHARE_FORMAT; signerId: string; profile: string; share: string };

export class UserShareDecryptError extends Error {
  override name = "UserShareDecryptError";
  constructor(message = "The user share could not be decrypted: wrong key, or the record was altered") {
    super(message);
  }
}

const KDF_HKDF = "hkdf-sha256";
const KDF_PBKDF2 = `pbkdf2-sha256:${PBKDF2_ITERATIONS}`;

export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new UserShareDecryptError("Malformed base64url field");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function randomSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(PRF_SALT_BYTES));
}

/** The message a wallet signs (EIP-191) to derive the key: deterministic per signer and salt. */
export function walletMessage(signerId: string, salt: string): string {
  return `Countersign: unlock my key share\n\nSigner: ${signerId}\nSalt: ${salt}\n\nSigning this message derives the key that encrypts your share of the signer. It does not send a transaction.`;
}

function info(signerId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${USER_SHARE_FORMAT}:${signerId}`);
}

function bytes(input: Uint8Array | ArrayBuffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(input instanceof ArrayBuffer ? input.slice(0) : input.slice());
}

/** Secret input of the KDF: the PRF output, the wallet signature bytes, or the passphrase. */
export type KeyMaterial =
  | { scheme: "webauthn-prf"; prfOutput: Uint8Array | ArrayBuffer; credentialId: string }
  | { scheme: "wallet-signature"; signature: Uint8Array | ArrayBuffer; walletAddress: string }
  | { scheme: "passphrase"; passphrase: string };

async function deriveKey(material: KeyMaterial, salt: Uint8Array<ArrayBuffer>, signerId: string): Promise<CryptoKey> {
  const aes = { name: "AES-GCM", length: 256 } as const;
  if (material.scheme === "passphrase") {
    if (material.passphrase.length === 0) throw new Error("The passphrase must not be empty");
    const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(material.passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations: PBKDF2_ITERATIONS }, base, aes, false, ["encrypt", "decrypt"]);
  }
  const ikm = bytes(material.scheme === "webauthn-prf" ? material.prfOutput : material.signature);
  if (ikm.length < 32) throw new Error("The key material is too short");
  try {
    const base = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveKey"]);
    return await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt, info: info(signerId) }, base, aes, false, ["encrypt", "decrypt"]);
  } finally {
    ikm.fill(0);
  }
}

const IDENTITY_INFO = "countersign/user-identity/v1:";

/**
 * The user's long-term identity (Ed25519 secret key, 32 bytes) for this signer, derived from the
 * same secret and salt as the share's key but under its own label, so neither reveals the other.
 * Whoever can open the user share can sign as the user, and nobody else (long-term-identity.ts).
 */
export async function deriveUserIdentitySecret(material: KeyMaterial, salt: Uint8Array, signerId: string): Promise<Uint8Array> {
  const s = bytes(salt);
  let ikm: Uint8Array<ArrayBuffer>;
  if (material.scheme === "passphrase") {
    if (material.passphrase.length === 0) throw new Error("The passphrase must not be empty");
    const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(material.passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
    ikm = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: s, iterations: PBKDF2_ITERATIONS }, base, 256));
  } else {
    ikm = bytes(material.scheme === "webauthn-prf" ? material.prfOutput : material.signature);
    if (ikm.length < 32) throw new Error("The key material is too short");
  }
  try {
    const base = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: s, info: new TextEncoder().encode(IDENTITY_INFO + signerId) }, base, 256));
  } finally {
    ikm.fill(0);
  }
}

function associatedData(signerId: string, e: Omit<UserShareEncryption, "iv"> & { iv?: string }): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify([USER_SHARE_FORMAT, signerId, e.scheme, e.credentialId ?? "", (e.walletAddress ?? "").toLowerCase(), e.salt, e.kdf, e.iv ?? ""]));
}

function metadata(material: KeyMaterial, salt: string, iv: string): UserShareEncryption {
  switch (material.scheme) {
    case "webauthn-prf":
      return { scheme: "webauthn-prf", credentialId: material.credentialId, salt, iv, kdf: KDF_HKDF };
    case "wallet-signature":
      return { scheme: "wallet-signature", walletAddress: material.walletAddress, salt, iv, kdf: KDF_HKDF };
    case "passphrase":
      return { scheme: "passphrase", salt, iv, kdf: KDF_PBKDF2 };
  }
}

/**
 * Encrypts an encoded key share (encodeKeyShare output). `salt` must be the one the key material was
 * produced for (the PRF input, or the salt in walletMessage()); a passphrase gets a fresh one.
 */
export async function encryptUserShare(input: { signerId: string; profile: string; share: string; material: KeyMaterial; salt?: Uint8Array }): Promise<UserShareRecord> {
  const salt = input.salt ? bytes(input.salt) : randomSalt();
  if (salt.length < 16) throw new Error("The salt must be at least 16 bytes");
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const encryption = metadata(input.material, toBase64Url(salt), toBase64Url(iv));
  const key = await deriveKey(input.material, salt, input.signerId);
  const payload: UserSharePayload = { format: USER_SHARE_FORMAT, signerId: input.signerId, profile: input.profile, share: input.share };
  const plain = new TextEncoder().encode(JSON.stringify(payload));
  try {
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: associatedData(input.signerId, encryption) }, key, plain);
    return { ciphertext: toBase64Url(new Uint8Array(sealed)), encryption };
  } finally {
    plain.fill(0);
  }
}

/** Checks the stored metadata and returns the salt the key material must be produced for. */
export function parseEncryption(value: unknown): UserShareEncryption {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== "object") throw new UserShareDecryptError("The stored share has no encryption metadata");
  const scheme = v.scheme;
  if (scheme !== "webauthn-prf" && scheme !== "wallet-signature" && scheme !== "passphrase") throw new UserShareDecryptError(`Unknown scheme ${String(scheme)}`);
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
  const e: UserShareEncryption = { scheme, salt: str("salt") ?? "", iv: str("iv") ?? "", kdf: str("kdf") ?? "" };
  if (str("credentialId")) e.credentialId = str("credentialId");
  if (str("walletAddress")) e.walletAddress = str("walletAddress");
  const expectedKdf = scheme === "passphrase" ? KDF_PBKDF2 : KDF_HKDF;
  if (e.kdf !== expectedKdf) throw new UserShareDecryptError(`Unsupported key derivation ${e.kdf}`);
  if (scheme === "webauthn-prf" && !e.credentialId) throw new UserShareDecryptError("A passkey-encrypted share needs its credential id");
  if (scheme === "wallet-signature" && !e.walletAddress) throw new UserShareDecryptError("A wallet-encrypted share needs its wallet address");
  if (fromBase64Url(e.salt).length < 16 || fromBase64Url(e.iv).length !== IV_BYTES) throw new UserShareDecryptError("Malformed salt or iv");
  return e;
}

export async function decryptUserShare(input: { signerId: string; record: { ciphertext: string; encryption: unknown }; material: KeyMaterial }): Promise<UserSharePayload> {
  const e = parseEncryption(input.record.encryption);
  if (e.scheme !== input.material.scheme) throw new UserShareDecryptError(`This share is protected by ${e.scheme}, not ${input.material.scheme}`);
  const key = await deriveKey(input.material, fromBase64Url(e.salt), input.signerId);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(e.iv), additionalData: associatedData(input.signerId, e) }, key, fromBase64Url(input.record.ciphertext)));
  } catch {
    throw new UserShareDecryptError();
  }
  try {
    const p = JSON.parse(new TextDecoder().decode(plain)) as Partial<UserSharePayload>;
    if (p.format !== USER_SHARE_FORMAT || p.signerId !== input.signerId || typeof p.share !== "string" || typeof p.profile !== "string") {
      throw new UserShareDecryptError("The decrypted share is not a user share of this signer");
    }
    return p as UserSharePayload;
  } catch (err) {
    if (err instanceof UserShareDecryptError) throw err;
    throw new UserShareDecryptError("The decrypted share is not JSON");
  } finally {
    plain.fill(0);
  }
}

/** The user party's share must be party 2's and belong to the signer's public key. */
export function checkUserShare(share: KeyShare, publicKey: string | null): void {
  if (share.core.index !== 2) throw new UserShareDecryptError("The stored share is not the user's (party 2)");
  if (publicKey && share.core.publicKey.toLowerCase() !== publicKey.toLowerCase()) throw new UserShareDecryptError("The stored share belongs to another key");
}
