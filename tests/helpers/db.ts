import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { loadMigrations, migrate } from "@/lib/db/migrate";

/**
 * PGlite's initdb takes seconds per start and the migrations most of a second more; over ~190 test
 * files that was a third of the embedded lane. So the first file of a run builds a template (an
 * empty and a migrated data directory, dumped as tarballs in the temp directory, named by the PGlite
 * version and the migrations' checksums) and every file starts a copy of it. A changed migration
 * names a new template; a template is written to a temporary name and renamed, so a reader never
 * sees half a file.
 */
async function pgliteTemplate(kind: "empty" | "migrated"): Promise<Blob> {
  const migrations = await loadMigrations();
  const version = (JSON.parse(readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify([version, kind, kind === "migrated" ? migrations.map((m) => [m.name, m.checksum]) : []]))
    .digest("hex")
    .slice(0, 24);
  const dir = path.join(tmpdir(), "cs-pglite-templates");
  const file = path.join(dir, `${kind}-${key}.tar`);
  if (!existsSync(file)) {
    const e = await startEmbeddedDatabase();
    try {
      if (kind === "migrated") await migrate(e.url, { migrations });
      const tar = Buffer.from(await (await e.dump()).arrayBuffer());
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
      writeFileSync(tmp, tar);
      renameSync(tmp, file);
    } finally {
      await e.stop();
    }
  }
  return new Blob([readFileSync(file)]);
}

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
    const e = await startEmbeddedDatabase({ from: await pgliteTemplate(opts.migrate === false ? "empty" : "migrated") });
    db = { url: e.url, kind: "pglite", stop: () => e.stop() };
  }
  // Idempotent: on a copy of the migrated template it finds every migration applied.
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
