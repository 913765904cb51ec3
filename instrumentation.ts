/** Next.js calls register() once when a server instance starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Pick the faster big-integer backend (WASM or BigInt) for this machine, once per process.
  const { ensureBackendSelected } = await import("@/lib/mpc/bigint");
  ensureBackendSelected();
  if (!process.env.DATABASE_URL) return;
  const { startPrimePoolFiller } = await import("@/lib/signing/prime-pool-filler");
  startPrimePoolFiller();
  const { startPushWorker } = await import("@/lib/push/worker");
  startPushWorker();
  // Expired ceremonies are wiped within a minute even when no request touches them.
  const { startCeremonySweep } = await import("@/lib/signing/ceremony-sweep");
  startCeremonySweep();
}
