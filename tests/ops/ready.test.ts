/**
 * /health and /api/health (same answer, now with uptime and db), and /ready: 503 until the
 * migrations are applied and the key store is unsealed, 503 "draining" once the drain began.
 */
import { NextRequest } from "next/server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/health/route";
import { GET as apiHealth } from "@/app/api/health/route";
import { GET as ready } from "@/app/ready/route";
import { disconnectDb } from "@/lib/db/client";
import { beginDrain, resetLifecycle } from "@/lib/ops/lifecycle";
import { proxy } from "@/proxy";
import { createTestDatabase, useTestDatabase, type TestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();

const savedKey = process.env.COUNTERSIGN_MASTER_KEY;
afterEach(async () => {
  resetLifecycle();
  process.env.COUNTERSIGN_MASTER_KEY = savedKey;
  if (process.env.DATABASE_URL !== database.current.url) {
    await disconnectDb();
    process.env.DATABASE_URL = database.current.url;
  }
});

describe("GET /health and GET /api/health", () => {
  it("answer the same 200 body, with the process uptime in seconds and db reachable", async () => {
    const a = await call(health, "GET", "/health");
    const b = await call(apiHealth, "GET", "/api/health");
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.json).toMatchObject({ status: "ok", db: "reachable", checks: { database: { ok: true }, keyStore: { ok: true } }, version: expect.any(String) });
    expect(typeof a.json.uptime).toBe("number");
    expect(a.json.uptime).toBeGreaterThanOrEqual(0);
    expect({ ...b.json, uptime: 0 }).toEqual({ ...a.json, uptime: 0 });
    await new Promise((r) => setTimeout(r, 30));
    expect((await call(health, "GET", "/health")).json.uptime).toBeGreaterThan(a.json.uptime);
  });

  it("/api/health is its own route, not the /api catch-all's JSON 404", async () => {
    const { GET: catchAll } = await import("@/app/api/[...path]/route");
    expect((await call(catchAll, "GET", "/api/nothing-here")).status).toBe(404);
    expect((await call(apiHealth, "GET", "/api/health")).status).toBe(200);
  });

  it("answer 503 with db unreachable when the database does not answer", async () => {
    await disconnectDb();
    process.env.DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2";
    for (const [route, path] of [[health, "/health"], [apiHealth, "/api/health"]] as const) {
      const r = await call(route, "GET", path);
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ status: "degraded", db: "unreachable", checks: { database: { ok: false } } });
    }
  });
});

describe("GET /ready", () => {
  it("is 200 ready on a migrated database with an unsealed key store", async () => {
    const r = await call(ready, "GET", "/ready");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: "ready", checks: { database: { ok: true }, migrations: { ok: true }, keyStore: { ok: true } } });
  });

  it("is 503 draining once the drain began, even though every check passes", async () => {
    expect((await call(ready, "GET", "/ready")).status).toBe(200);
    beginDrain();
    const r = await call(ready, "GET", "/ready");
    expect(r.status).toBe(503);
    expect(r.json.status).toBe("draining");
    expect(r.json.checks).toEqual({ database: { ok: true }, migrations: { ok: true }, keyStore: { ok: true } });
    // Liveness is unaffected by the drain.
    expect((await call(health, "GET", "/health")).status).toBe(200);
  });

  it("is 503 not_ready while the key store is sealed", async () => {
    delete process.env.COUNTERSIGN_MASTER_KEY;
    const r = await call(ready, "GET", "/ready");
    expect(r.status).toBe(503);
    expect(r.json.status).toBe("not_ready");
    expect(r.json.checks.keyStore).toMatchObject({ ok: false, detail: expect.stringMatching(/sealed/) });
    expect(r.json.checks.migrations.ok).toBe(true);
  });

  describe("before the migrations are applied", () => {
    let bare: TestDatabase;
    afterAll(async () => {
      await disconnectDb();
      await bare?.stop();
    });

    it("is 503 not_ready naming the pending migrations, then 200 once they are applied", async () => {
      bare = await createTestDatabase({ migrate: false });
      await disconnectDb();
      process.env.DATABASE_URL = bare.url;
      const r = await call(ready, "GET", "/ready");
      expect(r.status).toBe(503);
      expect(r.json.status).toBe("not_ready");
      expect(r.json.checks.database.ok).toBe(true);
      expect(r.json.checks.migrations).toMatchObject({ ok: false, detail: expect.stringMatching(/migration history unreadable/) });

      const { migrate, loadMigrations } = await import("@/lib/db/migrate");
      const all = await loadMigrations();
      await migrate(bare.url, { migrations: all.slice(0, 1) });
      const partial = await call(ready, "GET", "/ready");
      expect(partial.status).toBe(503);
      expect(partial.json.checks.migrations.detail).toBe(`${all.length - 1} pending: ${all.slice(1).map((m) => m.name).join(", ")}`);

      await migrate(bare.url);
      const done = await call(ready, "GET", "/ready");
      expect(done.status).toBe(200);
      expect(done.json.status).toBe("ready");
    });
  });
});

describe("proxy.ts", () => {
  it("lets anonymous requests reach /health, /api/health, /ready and /metrics, and still redirects dashboard pages", () => {
    for (const path of ["/health", "/api/health", "/ready", "/metrics"]) {
      const res = proxy(new NextRequest(`http://localhost:3000${path}`));
      expect(res.headers.get("location"), path).toBeNull();
      expect(res.headers.get("x-middleware-next"), path).toBe("1");
    }
    const page = proxy(new NextRequest("http://localhost:3000/signers"));
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toMatch(/\/sign-in\?next=%2Fsigners$/);
  });
});
