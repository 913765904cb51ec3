import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GET as listAgents } from "@/app/api/v1/agents/route";
import { GET as getAgent } from "@/app/api/v1/agents/[id]/route";
import { GET as securityEvents } from "@/app/api/v1/security-events/route";
import { db } from "@/lib/db/client";
import { renderMetrics } from "@/lib/ops/metrics";
import { CREDENTIAL_FAILURES } from "@/lib/security/credential-failures";
import { useTestDatabase } from "../helpers/db";
import { startEachTestAtAFreshMinute } from "../helpers/rate-window";
import { call, makeApiKey, makeUser } from "../helpers/http";

const database = useTestDatabase();
startEachTestAtAFreshMinute();

/** The real key's visible prefix with another secret: a failed authentication that names the key's organization. */
const wrongSecret = (token: string) => `${token.slice(0, 16)}_${"x".repeat(43)}`;

describe("failed credential authentication, limited per address", () => {
  it("answers 401 up to the limit, then 429 + Retry-After for that address only; valid keys are never refused", async () => {
    const owner = await makeUser();
    const { secret: token } = await makeApiKey(owner.organizationId, ["agents:read"]);
    const bad = wrongSecret(token);
    const statuses: number[] = [];
    for (let i = 0; i < CREDENTIAL_FAILURES.limit + 3; i++) statuses.push((await call(listAgents, "GET", "/api/v1/agents", { apiKey: bad, clientIp: "198.51.100.60" })).status);
    expect(statuses.slice(0, CREDENTIAL_FAILURES.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(CREDENTIAL_FAILURES.limit).every((s) => s === 429)).toBe(true);
    const limited = await call(listAgents, "GET", "/api/v1/agents", { apiKey: bad, clientIp: "198.51.100.60", headers: { "x-real-ip": "10.0.0.1" } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.json.message).toBe(CREDENTIAL_FAILURES.message);

    // Another address: its failures are its own, and a valid key works.
    expect((await call(listAgents, "GET", "/api/v1/agents", { apiKey: bad, clientIp: "198.51.100.61" })).status).toBe(401);
    expect((await call(listAgents, "GET", "/api/v1/agents", { apiKey: token, clientIp: "198.51.100.61" })).status).toBe(200);
    // The limited address with a valid key: still served (the limit applies to failed attempts only).
    expect((await call(listAgents, "GET", "/api/v1/agents", { apiKey: token, clientIp: "198.51.100.60" })).status).toBe(200);

    // Logged: one event per failure up to the limit, then one marking the crossing; never the secret.
    const events = await db().securityEvent.findMany({ where: { ip: "198.51.100.60" }, orderBy: { seq: "asc" } });
    expect(events.filter((e) => e.kind === "credential_failed")).toHaveLength(CREDENTIAL_FAILURES.limit);
    expect(events.filter((e) => e.kind === "credential_rate_limited")).toHaveLength(1);
    const key = await db().credential.findFirstOrThrow({ where: { organizationId: owner.organizationId } });
    for (const e of events) {
      expect(e).toMatchObject({ organizationId: owner.organizationId, credentialType: "organization_key", credentialHint: key.prefix, credentialId: key.id, method: "GET", route: "/api/v1/agents" });
      expect(Object.values(e).join(" ")).not.toContain("x".repeat(43));
    }
  });

  it("counts failed agent tokens and malformed keys too, without naming an organization", async () => {
    const owner = await makeUser();
    const id = "00000000-0000-4000-8000-000000000001";
    const r = await call(getAgent, "GET", `/api/v1/agents/${id}`, { headers: { "x-aegis-agent-token": "not.a.jwt" }, params: { id }, clientIp: "198.51.100.70" });
    expect(r.status).toBe(401);
    const garbage = await call(listAgents, "GET", "/api/v1/agents", { apiKey: "sk-some-other-systems-secret", clientIp: "198.51.100.70" });
    expect(garbage.status).toBe(401);
    const events = await db().securityEvent.findMany({ where: { ip: "198.51.100.70" }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.credentialType, e.credentialHint, e.organizationId])).toEqual([
      ["malformed", null, null],
      ["malformed", null, null],
    ]);
    expect(events.flatMap((e) => Object.values(e)).join(" ")).not.toContain("some-other-systems-secret");
    // The session is not a credential attempt: a signed-in call from that address adds nothing.
    expect((await call(listAgents, "GET", "/api/v1/agents", { cookie: owner.cookie, clientIp: "198.51.100.70" })).status).toBe(200);
    expect(await db().securityEvent.count({ where: { ip: "198.51.100.70" } })).toBe(2);
  });

  it("lists an organization's events to its owners and admins only, and counts them in /metrics", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const viewer = await makeUser({ organizationId: a.organizationId, role: "viewer" });
    const { secret: token } = await makeApiKey(a.organizationId, ["agents:read"]);
    for (let i = 0; i < 3; i++) await call(listAgents, "GET", "/api/v1/agents", { apiKey: wrongSecret(token), clientIp: "198.51.100.80" });

    const first = await call(securityEvents, "GET", "/api/v1/security-events", { cookie: a.cookie, query: { limit: "2" } });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.items[0]).toMatchObject({ kind: "credential_failed", ip: "198.51.100.80", route: "/api/v1/agents", credentialHint: token.slice(0, 16) });
    const second = await call(securityEvents, "GET", "/api/v1/security-events", { cookie: a.cookie, query: { limit: "2", cursor: first.json.nextCursor } });
    expect(second.json.items).toHaveLength(1);
    expect(second.json.nextCursor).toBeNull();

    expect((await call(securityEvents, "GET", "/api/v1/security-events", { cookie: b.cookie })).json.items).toEqual([]);
    expect((await call(securityEvents, "GET", "/api/v1/security-events", { cookie: viewer.cookie })).status).toBe(403);
    expect((await call(securityEvents, "GET", "/api/v1/security-events", { apiKey: token })).status).toBe(401);

    const { body } = await renderMetrics();
    const line = body.split("\n").find((l) => l.startsWith('countersign_security_events_total{kind="credential_failed"}'));
    expect(Number(line?.split(" ").at(-1))).toBeGreaterThanOrEqual(3);
  });
});

describe("behind a real server (tools/api-server.ts, as tools/server.mjs for npm start)", () => {
  it("counts the socket's address, whatever X-Real-IP, X-Forwarded-For or the internal header say", async () => {
    const server = spawn(process.execPath, ["--import", "tsx", "tools/api-server.ts"], {
      env: { ...process.env, DATABASE_URL: database.current.url, DATABASE_POOL_MAX: "1", NODE_ENV: "test", LOG_LEVEL: "silent", TRUST_PROXY: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        server.stdout!.on("data", (d: Buffer) => {
          const m = /listening (\d+)/.exec(d.toString());
          if (m) resolve(Number(m[1]));
        });
        server.on("exit", (code) => reject(new Error(`api-server exited ${code}`)));
      });
      const bad = `cso_${"q".repeat(12)}_${"z".repeat(43)}`;
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/agents`, {
          headers: { "x-api-key": bad, "x-real-ip": `10.0.0.${i}`, "x-forwarded-for": `10.1.0.${i}`, "x-countersign-client-ip": `10.2.0.${i}` },
        });
        expect(r.status).toBe(401);
      }
      const events = await db().securityEvent.findMany({ where: { credentialHint: bad.slice(0, 16) } });
      expect(events.map((e) => e.ip)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    } finally {
      server.kill("SIGTERM");
    }
  }, 120_000);
});
