/**
 * For in-process benchmarks: a fresh embedded database with every migration applied, set as the
 * app's DATABASE_URL (one connection, as `npm start` runs PGlite), with the environment the app
 * needs to boot. Import lib/db/client only after this (it reads DATABASE_URL when first used).
 */
export async function startBenchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  process.env.LOG_LEVEL ??= "error";
  process.env.COUNTERSIGN_MASTER_KEY ??= "42".repeat(32);
  process.env.COUNTERSIGN_ORIGIN ??= "http://localhost:3000";
  const { startEmbeddedDatabase } = await import("@/lib/db/embedded");
  const { migrate } = await import("@/lib/db/migrate");
  const dbh = await startEmbeddedDatabase();
  await migrate(dbh.url);
  process.env.DATABASE_URL = dbh.url;
  process.env.DATABASE_POOL_MAX = "1";
  return { url: dbh.url, stop: () => dbh.stop() };
}
