import { readdir } from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db/client";
import { health } from "@/lib/system/health";
import { isDraining } from "./lifecycle";

type Check = { ok: boolean; detail?: string };
export type Readiness = { status: "ready" | "not_ready" | "draining"; checks: { database: Check; migrations: Check; keyStore: Check } };

/** Migrations never un-apply: once every one of this build's is applied, stop asking the database. */
let migrationsConfirmedFor: string | undefined;

/** Every migration directory of this build has a finished, not rolled back row in `_prisma_migrations`. */
export async function checkMigrations(): Promise<Check> {
  const url = process.env.DATABASE_URL;
  if (url && migrationsConfirmedFor === url) return { ok: true };
  let wanted: string[];
  try {
    // A literal path (not lib/db/migrate.ts's variable one): Next's file tracing then includes only this folder.
    wanted = (await readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    return { ok: false, detail: `migrations directory unreadable: ${(err as Error).message}` };
  }
  let applied: Set<string>;
  try {
    const rows = await db().$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (err) {
    return { ok: false, detail: `migration history unreadable: ${(err as Error).message.split("\n")[0]}` };
  }
  const pending = wanted.filter((m) => !applied.has(m)).sort();
  if (pending.length) return { ok: false, detail: `${pending.length} pending: ${pending.join(", ")}` };
  migrationsConfirmedFor = url;
  return { ok: true };
}

/**
 * GET /ready: ready once the database answers, this build's migrations are applied and the key
 * store is unsealed (with the key this database was sealed under); "draining" from SIGTERM on,
 * whatever the checks say, so a load balancer stops sending new requests.
 */
export async function readiness(): Promise<Readiness> {
  const h = await health();
  const migrations = h.checks.database.ok ? await checkMigrations() : { ok: false, detail: "database unreachable" };
  const checks = { database: h.checks.database, migrations, keyStore: h.checks.keyStore };
  if (isDraining()) return { status: "draining", checks };
  return { status: checks.database.ok && checks.migrations.ok && checks.keyStore.ok ? "ready" : "not_ready", checks };
}

export async function readinessResponse(): Promise<{ status: 200; body: Readiness } | { status: 503; body: Readiness }> {
  const r = await readiness();
  return r.status === "ready" ? { status: 200, body: r } : { status: 503, body: r };
}
