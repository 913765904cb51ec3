/**
 * The agent's encrypted share file (`countersign-share/v1`): the agent's key share and API key,
 * encrypted with AES-256-GCM under a key stretched from a passphrase with scrypt. Every header field
 * is bound as associated data, so a file whose signer, address, chain, server or KDF parameters were
 * edited does not decrypt. Isomorphic: WebCrypto and @noble only.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { getAddress, isAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { decodeKeyShare, encodeKeyShare, FAST_TEST, PRODUCTION, type KeyShare, type SecurityProfile } from "@/lib/mpc";

export const SHARE_FILE_FORMAT = "countersign-share/v1";
export const DEFAULT_SCRYPT_N = 2 ** 17;
/** The lowest work factor accepted at all, and only when asked for explicitly (tests). */
export const MIN_SCRYPT_N = 2 ** 14;
/** Caps the memory a (hostile) file can make the reader spend: 128·N·r bytes = 1 GiB at 2^20, r = 8. */
export const MAX_SCRYPT_N = 2 ** 20;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;

export type ProfileName = SecurityProfile["name"];

export type ShareFile = {
  format: typeof SHARE_FILE_FORMAT;
  signerId: string;
  address: string;
  chainId: number;
  baseUrl: string;
  profile: ProfileName;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  cipher: { name: "AES-256-GCM"; iv: string };
  ciphertext: string;
};

export type ShareFileContents = {
  share: KeyShare;
  apiKey: string;
  /** The agent's long-term identity (Ed25519 secret key, 32 bytes): it signed the key generation and signs every session. Absent in files from before. */
  identity?: Uint8Array;
  signerId: string;
  address: string;
  chainId: number;
  baseUrl: string;
  profile: ProfileName;
};

export type DecryptedShareFile = ShareFileContents & { securityProfile: SecurityProfile };

export type EncryptOptions = {
  /** scrypt work factor; defaults to 2^17. Lower values (down to 2^14) are for tests only. */
  scryptN?: number;
};

export class ShareFileFormatError extends Error {
  override name = "ShareFileFormatError";
}

/** AES-GCM cannot tell a wrong passphrase from an edited file; both land here. */
export class WrongPassphraseError extends Error {
  override name = "WrongPassphraseError";
  constructor() {
    super("Wrong passphrase, or the share file was altered");
  }
}

export function securityProfileNamed(name: ProfileName): SecurityProfile {
  return name === FAST_TEST.name ? FAST_TEST : PRODUCTION;
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(text: string, field: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new ShareFileFormatError(`${field} is not base64`);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function addressOfPublicKey(compressedHex: string): string {
  const uncompressed = secp256k1.Point.fromHex(compressedHex.replace(/^0x/, "")).toBytes(false);
  return getAddress(publicKeyToAddress(`0x${bytesToHex(uncompressed)}`));
}

function checkScryptN(n: number): void {
  if (!Number.isSafeInteger(n) || n < MIN_SCRYPT_N || n > MAX_SCRYPT_N || (n & (n - 1)) !== 0) {
    throw new ShareFileFormatError(`scrypt N must be a power of two between 2^14 and 2^20, got ${n}`);
  }
}

/** Associated data: every header field in a fixed order, so no field can be edited or moved. */
function associatedData(header: Omit<ShareFile, "ciphertext">): Uint8Array<ArrayBuffer> {
  const { format, signerId, address, chainId, baseUrl, profile, kdf, cipher } = header;
  const fields = [format, signerId, address, chainId, baseUrl, profile, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, cipher.name, cipher.iv];
  return new Uint8Array(utf8ToBytes(JSON.stringify(fields)));
}

async function deriveKey(passphrase: string, salt: Uint8Array, kdf: { N: number; r: number; p: number }): Promise<CryptoKey> {
  const raw = await scryptAsync(passphrase.normalize("NFKC"), salt, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32 });
  try {
    return await crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  } finally {
    raw.fill(0);
  }
}

function checkContents(c: ShareFileContents): void {
  if (c.share.core.index !== 0) throw new ShareFileFormatError("A share file holds the agent's share (party 0)");
  if (!isAddress(c.address, { strict: false })) throw new ShareFileFormatError("address is not an Ethereum address");
  if (addressOfPublicKey(c.share.core.publicKey) !== getAddress(c.address)) throw new ShareFileFormatError("The key share does not belong to this address");
  if (!Number.isSafeInteger(c.chainId) || c.chainId <= 0) throw new ShareFileFormatError("chainId must be a positive integer");
  if (!c.signerId) throw new ShareFileFormatError("signerId is required");
  if (!c.apiKey) throw new ShareFileFormatError("apiKey is required");
  if (c.identity !== undefined && c.identity.length !== 32) throw new ShareFileFormatError("identity must be a 32-byte Ed25519 secret key");
  try {
    new URL(c.baseUrl);
  } catch {
    throw new ShareFileFormatError("baseUrl is not a URL");
  }
  if (c.profile !== PRODUCTION.name && c.profile !== FAST_TEST.name) throw new ShareFileFormatError(`Unknown profile ${String(c.profile)}`);
}

export async function encryptShareFile(contents: ShareFileContents, passphrase: string, opts: EncryptOptions = {}): Promise<ShareFile> {
  if (passphrase.length === 0) throw new ShareFileFormatError("The passphrase must not be empty");
  const N = opts.scryptN ?? DEFAULT_SCRYPT_N;
  checkScryptN(N);
  checkContents(contents);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const header: Omit<ShareFile, "ciphertext"> = {
    format: SHARE_FILE_FORMAT,
    signerId: contents.signerId,
    address: getAddress(contents.address),
    chainId: contents.chainId,
    baseUrl: contents.baseUrl,
    profile: contents.profile,
    kdf: { name: "scrypt", N, r: SCRYPT_R, p: SCRYPT_P, salt: toBase64(salt) },
    cipher: { name: "AES-256-GCM", iv: toBase64(iv) },
  };
  const key = await deriveKey(passphrase, salt, header.kdf);
  const plaintext = utf8ToBytes(JSON.stringify({ share: encodeKeyShare(contents.share), apiKey: contents.apiKey, ...(contents.identity ? { identity: bytesToHex(contents.identity) } : {}) }));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: associatedData(header) }, key, new Uint8Array(plaintext));
  plaintext.fill(0);
  return { ...header, ciphertext: toBase64(new Uint8Array(sealed)) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the shape of a parsed share file (a JSON string or an object) without decrypting it. */
export function parseShareFile(input: unknown): ShareFile {
  let value = input;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ShareFileFormatError("The share file is not JSON");
    }
  }
  if (!isObject(value)) throw new ShareFileFormatError("The share file is not a JSON object");
  if (value.format !== SHARE_FILE_FORMAT) throw new ShareFileFormatError(`Unsupported share file format ${JSON.stringify(value.format)}`);
  const str = (v: unknown, field: string) => {
    if (typeof v !== "string" || v.length === 0) throw new ShareFileFormatError(`${field} must be a non-empty string`);
    return v;
  };
  const int = (v: unknown, field: string) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new ShareFileFormatError(`${field} must be an integer`);
    return v;
  };
  const { kdf, cipher } = value;
  if (!isObject(kdf) || kdf.name !== "scrypt") throw new ShareFileFormatError("kdf must be scrypt");
  if (!isObject(cipher) || cipher.name !== "AES-256-GCM") throw new ShareFileFormatError("cipher must be AES-256-GCM");
  const profile = str(value.profile, "profile");
  if (profile !== PRODUCTION.name && profile !== FAST_TEST.name) throw new ShareFileFormatError(`Unknown profile ${profile}`);
  const file: ShareFile = {
    format: SHARE_FILE_FORMAT,
    signerId: str(value.signerId, "signerId"),
    address: str(value.address, "address"),
    chainId: int(value.chainId, "chainId"),
    baseUrl: str(value.baseUrl, "baseUrl"),
    profile,
    kdf: { name: "scrypt", N: int(kdf.N, "kdf.N"), r: int(kdf.r, "kdf.r"), p: int(kdf.p, "kdf.p"), salt: str(kdf.salt, "kdf.salt") },
    cipher: { name: "AES-256-GCM", iv: str(cipher.iv, "cipher.iv") },
    ciphertext: str(value.ciphertext, "ciphertext"),
  };
  checkScryptN(file.kdf.N);
  if (file.kdf.r !== SCRYPT_R || file.kdf.p !== SCRYPT_P) throw new ShareFileFormatError("scrypt r and p must be 8 and 1");
  if (fromBase64(file.kdf.salt, "kdf.salt").length !== SALT_BYTES) throw new ShareFileFormatError("kdf.salt must be 16 bytes");
  if (fromBase64(file.cipher.iv, "cipher.iv").length !== IV_BYTES) throw new ShareFileFormatError("cipher.iv must be 12 bytes");
  fromBase64(file.ciphertext, "ciphertext");
  return file;
}

export async function decryptShareFile(input: unknown, passphrase: string): Promise<DecryptedShareFile> {
  const file = parseShareFile(input);
  const { ciphertext, ...header } = file;
  const key = await deriveKey(passphrase, fromBase64(file.kdf.salt, "kdf.salt"), file.kdf);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(file.cipher.iv, "cipher.iv"), additionalData: associatedData(header) }, key, fromBase64(ciphertext, "ciphertext")),
    );
  } catch {
    throw new WrongPassphraseError();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(plain));
  } catch {
    throw new ShareFileFormatError("The decrypted payload is not JSON");
  } finally {
    plain.fill(0);
  }
  if (!isObject(payload) || typeof payload.share !== "string" || typeof payload.apiKey !== "string") {
    throw new ShareFileFormatError("The decrypted payload needs share and apiKey");
  }
  const securityProfile = securityProfileNamed(file.profile);
  let share: KeyShare;
  try {
    share = decodeKeyShare(payload.share, securityProfile);
  } catch (err) {
    throw new ShareFileFormatError(`The key share is invalid: ${(err as Error).message}`);
  }
  if (payload.identity !== undefined && (typeof payload.identity !== "string" || !/^[0-9a-f]{64}$/.test(payload.identity))) throw new ShareFileFormatError("identity must be 32 bytes of lowercase hex");
  const identity = typeof payload.identity === "string" ? hexToBytes(payload.identity) : undefined;
  const contents: ShareFileContents = { share, apiKey: payload.apiKey, ...(identity ? { identity } : {}), signerId: file.signerId, address: file.address, chainId: file.chainId, baseUrl: file.baseUrl, profile: file.profile };
  checkContents(contents);
  return { ...contents, securityProfile };
}
