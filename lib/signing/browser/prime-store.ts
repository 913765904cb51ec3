/**
 * The wizard's safe primes survive a reload, sealed in IndexedDB: a prime becomes the user's
 * Paillier / ring-Pedersen secret once it is used, so it is never written in plaintext. The key is
 * derived from the passkey's WebAuthn PRF output on this store's own salt (the protect step asks for
 * it as the PRF's second input, next to the share's salt, in the same assertion):
 *
 *   key = HKDF-SHA256(ikm = PRF(credential, storeSalt), salt = storeSalt, info = "countersign/prime-store/v1")
 *   record = AES-256-GCM(key, iv, prime, ad = "countersign/prime-store/v1|" + bits + "|" + credentialId + "|" + id)
 *
 * The key is a non-extractable CryptoKey held in memory only. A prime that finishes before the key is
 * known stays in memory (never stored) until the protect step yields the key. Primes handed to a key
 * generation are deleted from the store. Main thread (or any context with indexedDB and WebCrypto).
 */
import { fromBase64Url, toBase64Url } from "@/lib/signing/user-share-crypto";

const DB_NAME = "countersign-prime-store";
const DB_VERSION = 1;
const META = "meta";
const PRIMES = "primes";
const INFO = "countersign/prime-store/v1";

export type SealedPrimeRecord = {
  id: string;
  bits: number;
  /** The passkey whose PRF output derives the key (base64url). */
  credentialId: string;
  iv: string;
  ct: string;
  createdAt: number;
};

/** A store key for one passkey credential: derived once per page from a PRF output. */
export type PrimeStoreKey = { credentialId: string; key: CryptoKey };

export function primeStoreAvailable(): boolean {
  return typeof indexedDB !== "undefined" && typeof crypto !== "undefined" && !!crypto.subtle;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (!primeStoreAvailable()) return Promise.reject(new Error("IndexedDB is not available in this browser"));
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, DB_VERSION);
    r.onupgradeneeded = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      if (!db.objectStoreNames.contains(PRIMES)) db.createObjectStore(PRIMES, { keyPath: "id" });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("Could not open the prime store"));
    r.onblocked = () => reject(new Error("The prime store is blocked by another tab"));
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
}

async function tx<T>(stores: string[], mode: IDBTransactionMode, fn: (t: IDBTransaction) => Promise<T>): Promise<T> {
  const db = await open();
  const t = db.transaction(stores, mode);
  const done = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error("IndexedDB transaction failed"));
    t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted"));
  });
  const out = await fn(t);
  await done;
  return out;
}

/** The store's PRF salt (not secret): created on first use, the same for every credential. */
export async function primeStoreSalt(): Promise<Uint8Array<ArrayBuffer>> {
  return tx([META], "readwrite", async (t) => {
    const meta = t.objectStore(META);
    const existing = (await request(meta.get("salt"))) as string | undefined;
    if (typeof existing === "string") return fromBase64Url(existing);
    const salt = crypto.getRandomValues(new Uint8Array(32));
    await request(meta.put(toBase64Url(salt), "salt"));
    return salt;
  });
}

/** Derives the store key from the PRF output of `credentialId` evaluated on primeStoreSalt(). */
export async function primeStoreKey(input: { credentialId: string; prfOutput: Uint8Array; salt: Uint8Array<ArrayBuffer> }): Promise<PrimeStoreKey> {
  const ikm = new Uint8Array(input.prfOutput);
  if (ikm.length < 32) throw new Error("The PRF output is too short");
  try {
    const base = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: input.salt, info: new TextEncoder().encode(INFO) },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    return { credentialId: input.credentialId, key };
  } finally {
    ikm.fill(0);
  }
}

function associatedData(r: { bits: number; credentialId: string; id: string }): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${INFO}|${r.bits}|${r.credentialId}|${r.id}`);
}

/** Seals one prime (hex) and stores it; returns the record id. */
export async function sealPrime(k: PrimeStoreKey, bits: number, primeHex: string): Promise<string> {
  const id = crypto.randomUUID();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(primeHex.toLowerCase());
  let ct: ArrayBuffer;
  try {
    ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: associatedData({ bits, credentialId: k.credentialId, id }) }, k.key, plain);
  } finally {
    plain.fill(0);
  }
  const record: SealedPrimeRecord = { id, bits, credentialId: k.credentialId, iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)), createdAt: Date.now() };
  await tx([PRIMES], "readwrite", async (t) => {
    await request(t.objectStore(PRIMES).put(record));
  });
  return id;
}

/** Sealed primes of this size, oldest first (nothing is decrypted). */
export async function listSealedPrimes(bits: number): Promise<SealedPrimeRecord[]> {
  const all = await tx([PRIMES], "readonly", async (t) => (await request(t.objectStore(PRIMES).getAll())) as SealedPrimeRecord[]);
  return all.filter((r) => r.bits === bits).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Opens the records sealed for `k`'s credential. A record that does not open (another passkey's,
 * or altered) is skipped, and deleted when it belongs to this credential (it can never open).
 */
export async function unsealPrimes(k: PrimeStoreKey, records: SealedPrimeRecord[]): Promise<{ id: string; prime: string }[]> {
  const out: { id: string; prime: string }[] = [];
  const broken: string[] = [];
  for (const r of records) {
    if (r.credentialId !== k.credentialId) continue;
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(r.iv), additionalData: associatedData(r) }, k.key, fromBase64Url(r.ct));
      const prime = new TextDecoder().decode(plain);
      if (!/^[0-9a-f]+$/.test(prime) || prime.length * 4 < r.bits - 3) throw new Error("not a prime of this size");
      out.push({ id: r.id, prime });
    } catch {
      broken.push(r.id);
    }
  }
  if (broken.length) await deleteSealedPrimes(broken);
  return out;
}

/** Deletes records (primes handed to a key generation, or discarded by the user). */
export async function deleteSealedPrimes(ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx([PRIMES], "readwrite", async (t) => {
    const s = t.objectStore(PRIMES);
    await Promise.all(ids.map((id) => request(s.delete(id))));
  });
}
