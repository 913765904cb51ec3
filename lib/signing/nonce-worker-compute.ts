/**
 * What the nonce worker thread runs (lib/signing/nonce-worker-thread.mjs loads this module): one
 * Paillier nonce r, r^N mod N² per job (CRT when the job carries the key's primes), or one
 * ring-Pedersen mask y, t^y mod N̂ for a verifier's public parameters. Pure apart from the
 * randomness; relative imports only, so the worker resolves them without the app's path aliases.
 */
import { threadId } from "node:worker_threads";
import { adoptBackend, type BackendName } from "../mpc/bigint";
import { freshMask, freshNonce, type MaskSlot } from "../mpc/nonces";
import { paillierPublicKey, paillierSecretKey, type PaillierPublicKey } from "../mpc/paillier";

/** One nonce for modulus N (p and q, secret, when N is the server party's own key), or one mask for a slot. */
export type NonceJob = { readonly N: bigint; readonly p?: bigint; readonly q?: bigint } | { readonly mask: MaskSlot };

/** The nonce or the mask, and the id of the thread that computed it. */
export type NonceJobResult = ({ readonly r: bigint; readonly rN: bigint } | { readonly y: bigint; readonly ty: bigint }) & { readonly threadId: number };

/** The main thread's big-integer backend (chosen once per process by timing), so both agree. */
export function useBackend(name: BackendName): void {
  adoptBackend(name);
}

// A filler pass asks for many nonces of one key in a row: keep the last secret key (its CRT contexts).
let lastKey: PaillierPublicKey | undefined;

function keyFor(job: { readonly N: bigint; readonly p?: bigint; readonly q?: bigint }): PaillierPublicKey {
  if (lastKey?.N === job.N && ("p" in lastKey) === (job.p !== undefined)) return lastKey;
  const key = job.p !== undefined && job.q !== undefined ? paillierSecretKey(job.p, job.q) : paillierPublicKey(job.N);
  if (key.N !== job.N) throw new Error("nonce job: the primes do not match the modulus");
  return (lastKey = key);
}

export function computeNonceJob(job: NonceJob): NonceJobResult {
  if ("mask" in job) {
    const { y, ty } = freshMask(job.mask);
    return { y, ty, threadId };
  }
  const { r, rN } = freshNonce(keyFor(job));
  return { r, rN, threadId };
}
