import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/config/env";

export type Db = InstanceType<typeof PrismaClient>;
/** A Prisma interactive-transaction client: what domain functions take when they must join a transaction. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

const globalForDb = globalThis as unknown as { __countersignDb?: { url: string; client: Db; pool: pg.Pool } };

/**
 * The process-wide Prisma client. It talks PostgreSQL over `pg` to DATABASE_URL: a real server, or
 * the embedded PGlite served on a loopback socket by tools/start.ts (there the pool is 1, because
 * PGlite is a single-connection database).
 */
export function db(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start provides the embedded database)");
  const existing = globalForDb.__countersignDb;
  if (existing && existing.url === url) return existing.client;
  // Our own pool (rather than the adapter's) so /metrics can report its usage. Bounded waits: a
  // database that is down or hung makes requests fail fast (503, lib/db/unavailable.ts), never hang.
  const e = env();
  const pool = new pg.Pool({
    connectionString: url,
    max: e.DATABASE_POOL_MAX,
    connectionTimeoutMillis: e.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: e.DATABASE_STATEMENT_TIMEOUT_MS,
    query_timeout: e.DATABASE_STATEMENT_TIMEOUT_MS + 1000,
  });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // An interactive transaction waits for a connection as long as a query would, and may run as long as a statement.
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: e.DATABASE_CONNECT_TIMEOUT_MS, timeout: e.DATABASE_STATEMENT_TIMEOUT_MS } }) as Db;
  globalForDb.__countersignDb = { url, client, pool };
  return client;
}

export type DbPoolStats = { max: number; total: number; idle: number; waiting: number };

/** Connections of the process-wide pool, or null before the first db() call. */
export function dbPoolStats(): DbPoolStats | null {
  const pool = globalForDb.__countersignDb?.pool;
  if (!pool) return null;
  return { max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export async function disconnectDb(): Promise<void> {
  const existing = globalForDb.__countersignDb;
  globalForDb.__countersignDb = undefined;
  if (existing) await existing.client.$disconnect();
}
