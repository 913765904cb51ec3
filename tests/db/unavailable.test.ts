import { createServer } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { toErrorResponse } from "@/lib/http/respond";
import { useTestDatabase } from "../helpers/db";

/**
 * A database that cannot be reached, or does not answer in time, is a 503 with Retry-After in the
 * route family's body — never a 500 — while a genuine query error stays a 500.
 */
useTestDatabase();

let closedPort: number;
beforeAll(async () => {
  closedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address() as { port: number };
      s.close(() => resolve(a.port));
    });
  });
});

const clients: { $disconnect(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect().catch(() => undefined)));
});

function clientFor(url: string, opts: pg.PoolConfig = {}) {
  const c = new PrismaClient({ adapter: new PrismaPg(new pg.Pool({ connectionString: url, max: 1, ...opts }), { disposeExternalPool: true }) });
  clients.push(c);
  return c;
}

async function errorOf(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("database unavailable", () => {
  it("a refused connection, a query and a transaction, is classified unavailable and answered 503 with Retry-After in each family", async () => {
    const down = clientFor(`postgresql://postgres@127.0.0.1:${closedPort}/x`);
    const query = await errorOf(down.$queryRaw`SELECT 1`);
    const findMany = await errorOf(down.user.findMany());
    const tx = await errorOf(down.$transaction(async (t) => t.user.count()));
    for (const err of [query, findMany, tx]) expect(isDatabaseUnavailable(err)).toBe(true);

    const message = "The database is unavailable; retry shortly";
    const expected = {
      v1: { statusCode: 503, message },
      error: { error: message },
      hybrid: { statusCode: 503, message, error: { code: "SERVICE_UNAVAILABLE", message } },
      aegis: { error: { code: "SERVICE_UNAVAILABLE", message } },
    } as const;
    for (const [family, body] of Object.entries(expected)) {
      const res = toErrorResponse(findMany, "req-1", family as keyof typeof expected);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(await res.json()).toEqual(body);
    }
    const scim = toErrorResponse(query, "req-2", "scim");
    expect(scim.status).toBe(503);
    expect(await scim.json()).toMatchObject({ status: "503", detail: message });
  });

  it("a statement that outlives the timeouts (server-side statement_timeout, else the client's) is unavailable too", async () => {
    // PostgreSQL cancels it after statement_timeout; the embedded PGlite ignores that, and the client gives up.
    const slow = clientFor(process.env.DATABASE_URL!, { statement_timeout: 200, query_timeout: 700 } as pg.PoolConfig);
    const err = await errorOf(slow.$queryRaw`SELECT pg_sleep(1.2)::text`);
    await new Promise((r) => setTimeout(r, 1000)); // the embedded database finishes the sleep
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(toErrorResponse(err, "req-3").status).toBe(503);
  });

  it("a genuine query error is not: it stays a 500", async () => {
    const err = await errorOf(db().$queryRawUnsafe("SELECT * FROM no_such_table"));
    expect(isDatabaseUnavailable(err)).toBe(false);
    const email = `dup-${Date.now()}@example.com`;
    await db().user.create({ data: { email, name: "A" } });
    const dup = await errorOf(db().user.create({ data: { email, name: "B" } }));
    expect(isDatabaseUnavailable(dup)).toBe(false);
    const res = toErrorResponse(dup, "req-4");
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
  });
});
