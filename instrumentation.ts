/** Next.js calls register() once when a server instance starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (!process.env.DATABASE_URL) return;
  const { startPrimePoolFiller } = await import("@/lib/signing/prime-pool-filler");
  startPrimePoolFiller();
}
