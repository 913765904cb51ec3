import { db, type DbOrTx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { openSecret, type SealedBlob } from "@/lib/keystore";
import { log } from "@/lib/log/logger";
import { decodeKeyShare } from "@/lib/mpc";
import { mpcProfile } from "./profile";
import { topUpSignerNonces, type MaskCompute, type NonceCompute } from "./nonce-pool";
import { nonceWorker, NonceWorkerError, stopNonceWorker } from "./nonce-worker";
import { startRefillLoop } from "./refill-loop";

const REFILL_INTERVAL_MS = 30_000;
/** Signers kept topped up: the ones that signed most recently (a pool per signer costs CPU to fill). */
export const NONCE_POOL_SIGNERS = 20;

/** Active signers with a server share, most recent signing session first. */
async function signersToFill(d: DbOrTx): Promise<string[]> {
  const rows = await d.$queryRaw<{ id: string }[]>`
    SELECT s."id" FROM "signers" s JOIN "signer_shares" ss ON ss."signer_id" = s."id"
    WHERE s."status" = 'active' AND s."deleted_at" IS NULL
    ORDER BY (SELECT max(c."created_at") FROM "ceremonies" c WHERE c."signer_id" = s."id" AND c."kind" = 'sign') DESC NULLS LAST, s."created_at" DESC
    LIMIT ${NONCE_POOL_SIGNERS}`;
  return rows.map((r) => r.id);
}

/** The process's nonce worker thread computes (lib/signing/nonce-worker.ts), never the thread serving requests. */
const computeOnWorker: NonceCompute = (key) => nonceWorker().compute(key);
const computeMaskOnWorker: MaskCompute = (slot) => nonceWorker().computeMask(slot);

/**
 * One pass: drops the nonces of deleted signers (the row stays, soft-deleted), then tops up each recent
 * signer to `sessions` sessions' worth, the arithmetic on the nonce worker thread (`compute` replaces
 * it). Returns how many nonces were added.
 */
export async function fillNoncePools(d: DbOrTx, opts: { sessions: number; signal?: AbortSignal; compute?: NonceCompute; computeMask?: MaskCompute }): Promise<number> {
  const compute = opts.compute ?? computeOnWorker;
  const computeMask = opts.computeMask ?? computeMaskOnWorker;
  const profile = mpcProfile();
  await d.$executeRaw`DELETE FROM "paillier_nonces" WHERE "signer_id" IN (SELECT "id" FROM "signers" WHERE "deleted_at" IS NOT NULL)`;
  let added = 0;
  for (const signerId of await signersToFill(d)) {
    if (opts.signal?.aborted) break;
    const row = await d.signerShare.findUnique({ where: { signerId } });
    if (!row) continue;
    try {
      const share = decodeKeyShare(new TextDecoder().decode(openSecret(row.sealed as unknown as SealedBlob, `signer-share:${signerId}`)), profile);
      added += await topUpSignerNonces(d, { signerId, share, sessions: opts.sessions, profile, signal: opts.signal, compute, computeMask });
    } catch (err) {
      // No worker, no pass (the refill loop logs it once and retries); skipping each signer would respawn it each time.
      if (err instanceof NonceWorkerError) throw err;
      // One signer's share that does not open or decode must not starve the others' pools.
      log.warn("paillier nonce pool: signer skipped", { signerId, error: err as Error });
    }
  }
  return added;
}

/**
 * Keeps the server's Paillier nonce pools at COUNTERSIGN_NONCE_POOL_TARGET sessions per signer.
 * Started once per server process from instrumentation.ts; every instance may run it (claims are
 * atomic, so a few extra nonces are harmless). Stopping it also terminates the nonce worker thread.
 */
export function startNoncePoolFiller(): () => void {
  const sessions = env().COUNTERSIGN_NONCE_POOL_TARGET;
  if (sessions === 0) return () => undefined;
  const stopLoop = startRefillLoop("paillier nonce pools", REFILL_INTERVAL_MS, (signal) => fillNoncePools(db(), { sessions, signal }), { sessions });
  return () => {
    stopLoop();
    void stopNonceWorker().catch(() => undefined);
  };
}
