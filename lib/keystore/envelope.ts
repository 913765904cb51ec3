import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Envelope encryption: each secret gets a fresh 256-bit data key (AES-256-GCM); the data key is
 * wrapped under the master key (AES-256-GCM as well). The sealed blob names the master key by a
 * fingerprint so a rotated key can be detected, and the caller's `context` (e.g. "signer-share:<id>")
 * is bound as associated data so a blob cannot be moved to another record.
 */
export type SealedBlob = { v: 1; kid: string; wdek: string; iv: string; ct: string };

export class KeyStoreError extends Error {}

export function masterKeyId(masterKey: Uint8Array): string {
  return createHash("sha256").update("countersign/master-key-id").update(masterKey).digest("hex").slice(0, 16);
}

function gcmEncrypt(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

function gcmDecrypt(key: Uint8Array, packed: Buffer, aad: Uint8Array): Buffer {
  if (packed.length < 12 + 16) throw new KeyStoreError("Sealed blob is truncated");
  const iv = packed.subarray(0, 12);
  const tag = packed.subarray(packed.length - 16);
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(packed.subarray(12, packed.length - 16)), decipher.final()]);
  } catch {
    throw new KeyStoreError("Sealed blob failed authentication (wrong key or context, or tampered)");
  }
}

export function seal(masterKey: Uint8Array, plaintext: Uint8Array, context: string): SealedBlob {
  if (masterKey.length !== 32) throw new KeyStoreError("Master key must be 32 bytes");
  const dek = randomBytes(32);
  const aad = Buffer.from(`countersign/v1/${context}`);
  const kid = masterKeyId(masterKey);
  const wdek = gcmEncrypt(masterKey, dek, Buffer.concat([aad, Buffer.from(`/dek/${kid}`)]));
  const ct = gcmEncrypt(dek, plaintext, aad);
  dek.fill(0);
  return { v: 1, kid, wdek: wdek.toString("base64"), iv: "gcm", ct: ct.toString("base64") };
}

export function open(masterKey: Uint8Array, blob: SealedBlob, context: string): Uint8Array {
  if (blob.v !== 1) throw new KeyStoreError(`Unsupported sealed blob version ${String(blob.v)}`);
  const kid = masterKeyId(masterKey);
  if (blob.kid !== kid) throw new KeyStoreError("Sealed blob was encrypted under a different master key");
  const aad = Buffer.from(`countersign/v1/${context}`);
  const dek = gcmDecrypt(masterKey, Buffer.from(blob.wdek, "base64"), Buffer.concat([aad, Buffer.from(`/dek/${kid}`)]));
  try {
    return new Uint8Array(gcmDecrypt(dek, Buffer.from(blob.ct, "base64"), aad));
  } finally {
    dek.fill(0);
  }
}
