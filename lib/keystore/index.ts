import { SealedError } from "@/lib/http/errors";
import { loadMasterKey } from "./master-key";
import { masterKeyId, open, seal, type SealedBlob } from "./envelope";

export type { SealedBlob } from "./envelope";
export { KeyStoreError } from "./envelope";

export type KeyStoreStatus = { sealed: false; keyId: string; source: "env" | "file" } | { sealed: true; reason: string };

let cache: { fingerprint: string; value: ReturnType<typeof loadMasterKey> } | undefined;

/** The master key as configured now; re-read only when the configuring variables change. */
function current() {
  const fingerprint = `${process.env.COUNTERSIGN_MASTER_KEY ?? ""}\0${process.env.COUNTERSIGN_MASTER_KEY_FILE ?? ""}`;
  if (!cache || cache.fingerprint !== fingerprint || !cache.value.key) cache = { fingerprint, value: loadMasterKey({ COUNTERSIGN_MASTER_KEY: process.env.COUNTERSIGN_MASTER_KEY, COUNTERSIGN_MASTER_KEY_FILE: process.env.COUNTERSIGN_MASTER_KEY_FILE }) };
  return cache.value;
}

export function keyStoreStatus(): KeyStoreStatus {
  const m = current();
  if (!m.key) return { sealed: true, reason: m.reason };
  return { sealed: false, keyId: masterKeyId(m.key), source: m.source };
}

function requireKey(): Uint8Array {
  const m = current();
  if (!m.key) throw new SealedError();
  return m.key;
}

export function sealSecret(plaintext: Uint8Array, context: string): SealedBlob {
  return seal(requireKey(), plaintext, context);
}

export function openSecret(blob: SealedBlob, context: string): Uint8Array {
  return open(requireKey(), blob, context);
}

/** HKDF-derived subkey of the master key for a named purpose (e.g. session signing). */
export async function deriveKey(purpose: string, length = 32): Promise<Uint8Array> {
  const { hkdfSync } = await import("node:crypto");
  return new Uint8Array(hkdfSync("sha256", requireKey(), new Uint8Array(0), `countersign/${purpose}`, length));
}
