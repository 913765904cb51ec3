/** Next.js calls register() once when a server instance starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { markStarted } = await import("@/lib/ops/lifecycle");
  markStarted();
  // Tracing only when a collector is configured: otherwise the SDK is not even loaded.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { startTracing } = await import("@/lib/ops/tracing-sdk");
    startTracing();
  }
  const { untraced, stopTracing } = await import("@/lib/ops/tracing");
  const { env } = await import("@/lib/config/env");
  const { installDrain } = await import("@/lib/ops/drain");
  const { disconnectDb } = await import("@/lib/db/client");
  const stops: Array<() => void> = [];
  const e = env();
  installDrain({
    delayMs: e.SHUTDOWN_DELAY_SECONDS * 1000,
    timeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    onDrain: () => stops.forEach((stop) => stop()),
    cleanup: () => Promise.all([stopTracing(), disconnectDb()]).then(() => undefined),
  });
  // Pick the faster big-integer backend (WASM or BigInt) for this machine, once per process.
  const { ensureBackendSelected } = await import("@/lib/mpc/bigint");
  ensureBackendSelected();
  if (!process.env.DATABASE_URL) return;
  // Seed 003 signed agent requests (x-self-agent-*): verified against the agent identity registry.
  {
    const { registerSignedAgentVerifier } = await import("@/lib/auth/signed-agent");
    const { signedAgentFor } = await import("@/lib/identity/verify-request");
    const { db } = await import("@/lib/db/client");
    registerSignedAgentVerifier((req) => signedAgentFor(db(), req));
  }
  // Background work is not traced (its timers keep this context): a poll every few seconds would
  // bury the request traces.
  await untraced(async () => {
    const { startPrimePoolFiller } = await import("@/lib/signing/prime-pool-filler");
    stops.push(startPrimePoolFiller());
    // Precomputed Paillier nonces (r^N mod N²) for the signers that sign, so a session only multiplies.
    const { startNoncePoolFiller } = await import("@/lib/signing/nonce-pool-filler");
    stops.push(startNoncePoolFiller());
    const { startPushWorker, stopPushWorker } = await import("@/lib/push/worker");
    startPushWorker();
    stops.push(stopPushWorker);
    // Expired ceremonies are wiped within a minute even when no request touches them.
    const { startCeremonySweep } = await import("@/lib/signing/ceremony-sweep");
    stops.push(startCeremonySweep());
    // Trust scores (seed 001): inactivity decay recorded in each agent's history once a day.
    const { startTrustSweep } = await import("@/lib/trust/sweep");
    stops.push(startTrustSweep());
    // Rate-limit windows, old development mail and expired replay keys are deleted every ten minutes.
    const { startHousekeeping } = await import("@/lib/ops/housekeeping");
    stops.push(startHousekeeping());
    // The transparency log: new leaves are sequenced and signed into a checkpoint within a second.
    const { startCheckpointer } = await import("@/lib/tlog/checkpointer");
    stops.push(startCheckpointer());
    // …and checks at start that the checkpoints it signed are still the stored tree's (else /health 503).
    const { logIntegrity } = await import("@/lib/tlog/monitor");
    const { db } = await import("@/lib/db/client");
    void logIntegrity(db());
  });
}
