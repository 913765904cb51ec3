import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/health/route";
import { ensureLocalMasterKeyFile } from "@/lib/keystore/master-key";
import { keyStoreStatus } from "@/lib/keystore";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

describe("GET /health", () => {
  const saved = { key: process.env.COUNTERSIGN_MASTER_KEY, file: process.env.COUNTERSIGN_MASTER_KEY_FILE };
  afterEach(() => {
    process.env.COUNTERSIGN_MASTER_KEY = saved.key;
    if (saved.file === undefined) delete process.env.COUNTERSIGN_MASTER_KEY_FILE;
    else process.env.COUNTERSIGN_MASTER_KEY_FILE = saved.file;
  });

  it("answers 200 when the database answers and a master key is configured", async () => {
    const r = await call(health, "GET", "/health");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "ok", checks: { database: { ok: true }, keyStore: { ok: true } } });
  });

  it("answers 503 with the reason when the master key is absent (sealed)", async () => {
    delete process.env.COUNTERSIGN_MASTER_KEY;
    delete process.env.COUNTERSIGN_MASTER_KEY_FILE;
    const r = await call(health, "GET", "/health");
    expect(r.status).toBe(503);
    expect(r.json.status).toBe("degraded");
    expect(r.json.checks.keyStore.ok).toBe(false);
    expect(r.json.checks.keyStore.detail).toMatch(/sealed: no master key configured/);
  });

  it("answers 503 when the configured key is not the one this database was sealed with", async () => {
    await call(health, "GET", "/health"); // binds the database to the test key
    process.env.COUNTERSIGN_MASTER_KEY = "22".repeat(32);
    const r = await call(health, "GET", "/health");
    expect(r.status).toBe(503);
    expect(r.json.checks.keyStore.detail).toMatch(/not the one this database was sealed with/);
  });

  it("reads the master key from a file created on first start (npm start's default)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cs-key-"));
    const { file, created } = await ensureLocalMasterKeyFile(dir);
    expect(created).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await ensureLocalMasterKeyFile(dir)).created).toBe(false);
    expect((await readFile(file, "utf8")).trim()).toMatch(/^[0-9a-f]{64}$/);
    delete process.env.COUNTERSIGN_MASTER_KEY;
    process.env.COUNTERSIGN_MASTER_KEY_FILE = file;
    expect(keyStoreStatus()).toMatchObject({ sealed: false, source: "file" });
    process.env.COUNTERSIGN_MASTER_KEY_FILE = path.join(dir, "missing.key");
    expect(keyStoreStatus()).toMatchObject({ sealed: true, reason: expect.stringMatching(/unreadable/) });
  });
});
