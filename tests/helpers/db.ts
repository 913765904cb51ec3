import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

/**
 * A fresh, migrated database for one test file. By default an in-memory PGlite served on a loopback
 * port (the same path the product takes); with TEST_PG_ADMIN_URL (set by tools/test.ts when it runs
 * the suite against a real PostgreSQL server) a new database on that server.
 */
export type TestDatabase = { url: string; kind: "pglite" | "postgres"; stop(): Promise<void> };

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  let db: TestDatabase;
  if (admin) {
    const name = `cs_test_${randomBytes(6).toString("hex")}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    db = {
      url: url.toString(),
      kind: "postgres",
      async stop() {
        const c2 = new pg.Client({ connectionString: admin });
        await c2.connect();
        await c2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c2.end();
      },
    };
  } else {
    const e = await startEmbeddedDatabase();
    db = { url: e.url, kind: "pglite", stop: () => e.stop() };
  }
  if (opts.migrate !== false) await migrate(db.url);
  return db;
}

/** Registers before/after hooks that point the app's db() at a fresh database for this file. */
export function useTestDatabase(): { current: TestDatabase } {
  const holder = {} as { current: TestDatabase };
  beforeAll(async () => {
    holder.current = await createTestDatabase();
    process.env.DATABASE_URL = holder.current.url;
    process.env.DATABASE_POOL_MAX = "1";
  });
  afterAll(async () => {
    const { disconnectDb } = await import("@/lib/db/client");
    await disconnectDb();
    await holder.current?.stop();
  });
  return holder;
}
