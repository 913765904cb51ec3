import { createHash } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations, migrate, MigrationError, type Migration } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const m = (name: string, sql: string): Migration => ({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("migrate runner", () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.stop();
    db = undefined;
  });

  it("applies each migration once, in order, recorded in _prisma_migrations with Prisma's checksum", async () => {
    db = await createTestDatabase({ migrate: false });
    const migrations = [m("001_a", `CREATE TABLE a (id int primary key);`), m("002_b", `CREATE TABLE b (id int primary key); INSERT INTO a VALUES (1);`)];
    expect(await migrate(db.url, { migrations })).toEqual({ applied: ["001_a", "002_b"], alreadyApplied: [] });
    expect(await migrate(db.url, { migrations })).toEqual({ applied: [], alreadyApplied: ["001_a", "002_b"] });
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      db.url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(["001_a", "002_b"]);
    expect(rows[0]!.checksum).toBe(migrations[0]!.checksum);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(await query(db.url, "SELECT * FROM a")).toHaveLength(1);
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    db = await createTestDatabase({ migrate: false });
    const good = m("001_good", "CREATE TABLE ok (id int);");
    const bad = m("002_bad", "CREATE TABLE half (id int); INSERT INTO missing_table VALUES (1);");
    await expect(migrate(db.url, { migrations: [good, bad] })).rejects.toThrow(/002_bad failed/);
    const tables = await query<{ table_name: string }>(db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.table_name).sort()).toEqual(["_prisma_migrations", "ok"]);
    const recorded = await query<{ migration_name: string }>(db.url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["001_good"]);
  });

  it("refuses a migration edited after it was applied", async () => {
    db = await createTestDatabase({ migrate: false });
    await migrate(db.url, { migrations: [m("001_a", "CREATE TABLE a (id int);")] });
    await expect(migrate(db.url, { migrations: [m("001_a", "CREATE TABLE a (id bigint);")] })).rejects.toBeInstanceOf(MigrationError);
  });

  it("refuses to run an older build against a database with unknown migrations", async () => {
    db = await createTestDatabase({ migrate: false });
    await migrate(db.url, { migrations: [m("001_a", "SELECT 1;"), m("002_b", "SELECT 1;")] });
    await expect(migrate(db.url, { migrations: [m("001_a", "SELECT 1;")] })).rejects.toThrow(/002_b, which is not in this build/);
  });

  it("loads the committed migrations in Prisma's layout and applies them cleanly", async () => {
    const committed = await loadMigrations();
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.map((c) => c.name)).toEqual([...committed.map((c) => c.name)].sort());
    db = await createTestDatabase({ migrate: false });
    const r = await migrate(db.url);
    expect(r.applied).toEqual(committed.map((c) => c.name));
  });

  it("keeps the audit trail append-only at the database level", async () => {
    db = await createTestDatabase();
    await query(db.url, `INSERT INTO audit_events (id, actor_type, action, resource_type, outcome) VALUES (gen_random_uuid(), 'system', 'x', 'y', 'success')`);
    await expect(query(db.url, `UPDATE audit_events SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(query(db.url, `DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});
