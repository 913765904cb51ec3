import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { POST as register } from "@/app/register/route";
import { POST as verify } from "@/app/agents/[id]/verify/route";
import { POST as confirm } from "@/app/agents/[id]/verify/confirm/route";
import { GET as score } from "@/app/score/[sid]/route";
import { GET as publicScore } from "@/app/score/[sid]/public/route";
import { confirmVerification, useCallbackTransport, type ResolvedAddress } from "@/lib/trust/callback";
import { findOwned } from "@/lib/trust/store";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

/** A local HTTPS receiver for callback.test: records each POST; `answer` decides the reply. */
type Hit = { path: string; body: string };
let server: Server;
let port: number;
let cert: Buffer;
const hits: Hit[] = [];
let answer: (res: import("node:http").ServerResponse) => void = (res) => res.writeHead(200).end("ok");

/** The resolver tests control, behind the interface the system resolver uses; it counts lookups. */
let lookups: string[] = [];
let resolveTo: (host: string, call: number) => ResolvedAddress[] = () => [{ address: "127.0.0.1", family: 4 }];
function transport(allow: string[] = ["127.0.0.1"]) {
  useCallbackTransport({
    resolve: async (host) => {
      lookups.push(host);
      return resolveTo(host, lookups.length);
    },
    ca: cert,
    allowAddresses: allow,
  });
}

type Org = { key: string };
let alice: Org;
let bob: Org;
const bearer = (o: Org) => ({ authorization: `Bearer ${o.key}` });
const url = (p = "/cb") => `https://callback.test:${port}${p}`;

async function org(): Promise<Org> {
  const u = await makeUser();
  return { key: (await makeApiKey(u.organizationId, ["trust:read", "trust:write"])).secret };
}
async function newAgent(o: Org): Promise<string> {
  const r = await call(register, "POST", "/register", { headers: bearer(o), body: { name: "cb agent", modelProvider: "openai", modelName: "gpt-4o" } });
  expect(r.status).toBe(201);
  return r.json.sid;
}
const startVerify = (o: Org, sid: string, body: unknown) => call(verify, "POST", `/agents/${sid}/verify`, { headers: bearer(o), params: { id: sid }, body });
const confirmToken = (o: Org, sid: string, body: unknown) => call(confirm, "POST", `/agents/${sid}/verify/confirm`, { headers: bearer(o), params: { id: sid }, body });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "trust-callback-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=callback.test", "-addext", "subjectAltName=DNS:callback.test"], { stdio: "ignore" });
  const key = readFileSync(path.join(dir, "key.pem"));
  cert = readFileSync(path.join(dir, "cert.pem"));
  rmSync(dir, { recursive: true, force: true });
  server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ path: req.url ?? "/", body: Buffer.concat(chunks).toString("utf8") });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  alice = await org();
  bob = await org();
});
afterAll(async () => {
  useCallbackTransport(null);
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  hits.length = 0;
  lookups = [];
  resolveTo = () => [{ address: "127.0.0.1", family: 4 }];
  answer = (res) => res.writeHead(200).end("ok");
  transport();
  await db().rateLimitBucket.deleteMany({});
});

describe("POST /agents/{sid}/verify and /verify/confirm", () => {
  it("delivers { challenge_token, sid } over HTTPS; the token confirms once: identity level 1", async () => {
    const sid = await newAgent(alice);
    const r = await startVerify(alice, sid, { callbackUrl: url() });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ message: "Verification challenge sent to callback URL", expires_in: 600 });
    expect(hits).toHaveLength(1);
    const delivered = JSON.parse(hits[0]!.body);
    expect(Object.keys(delivered).sort()).toEqual(["challenge_token", "sid"]);
    expect(delivered.sid).toBe(sid);
    expect(delivered.challenge_token).toMatch(/^[0-9a-f]{64}$/);
    // Stored hashed only.
    const rows = await db().trustChallenge.findMany({ where: { profile: { agent: { signetSid: sid } } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(delivered.challenge_token);

    expect(await confirmToken(alice, sid, { challenge_token: "ab".repeat(32) })).toMatchObject({ status: 400, json: { error: "Invalid or expired challenge token" } });
    expect(await confirmToken(bob, sid, { challenge_token: delivered.challenge_token })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    const ok = await confirmToken(alice, sid, { challenge_token: delivered.challenge_token });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ message: "Identity verified successfully", identity_level: 1, identity_label: "Callback-Verified" });
    expect(await confirmToken(alice, sid, { challenge_token: delivered.challenge_token })).toMatchObject({ status: 400, json: { error: "Invalid or expired challenge token" } });
    expect((await call(score, "GET", "/x", { headers: bearer(alice), params: { sid } })).json.identity_level).toBe(1);
    expect((await call(publicScore, "GET", "/x", { params: { sid } })).json.identity_level).toBe(1);
  });

  it("a token expires after 10 minutes, and a new challenge ends the previous one", async () => {
    const sid = await newAgent(alice);
    await startVerify(alice, sid, { callbackUrl: url() });
    const first = JSON.parse(hits[0]!.body).challenge_token as string;
    await db().rateLimitBucket.deleteMany({});
    await startVerify(alice, sid, { callbackUrl: url() });
    const second = JSON.parse(hits[1]!.body).challenge_token as string;
    expect(await confirmToken(alice, sid, { challenge_token: first })).toMatchObject({ status: 400, json: { error: "Invalid or expired challenge token" } });
    const found = await findOwned(db(), sid, (await db().agent.findUniqueOrThrow({ where: { signetSid: sid } })).organizationId);
    await expect(confirmVerification(db(), found, second, { actor: { type: "anonymous" } }, Date.now() + 601_000)).rejects.toThrow("Invalid or expired challenge token");
    expect((await confirmToken(alice, sid, { challenge_token: second })).status).toBe(200);
  });

  it("answers the seed's errors", async () => {
    const sid = await newAgent(alice);
    expect(await startVerify(alice, sid, {})).toMatchObject({ status: 400, json: { error: "callbackUrl is required" } });
    await db().rateLimitBucket.deleteMany({});
    expect(await startVerify(alice, sid, { callbackUrl: `http://callback.test:${port}/cb` })).toMatchObject({ status: 400, json: { error: "callbackUrl must use HTTPS" } });
    expect(await startVerify(alice, sid, { callbackUrl: "not a url" })).toMatchObject({ status: 400, json: { error: "callbackUrl must use HTTPS" } });
    await db().rateLimitBucket.deleteMany({});
    expect(await startVerify(bob, sid, { callbackUrl: url() })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    expect(await startVerify(alice, "SID-0x00000000000000ff", { callbackUrl: url() })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await call(verify, "POST", "/x", { params: { id: sid }, body: { callbackUrl: url() } })).toMatchObject({ status: 401, json: { error: "Missing or invalid Authorization header..." } });
    expect(await call(verify, "POST", "/x", { headers: { authorization: "Bearer nope" }, params: { id: sid }, body: { callbackUrl: url() } })).toMatchObject({ status: 401, json: { error: "Invalid API key" } });
    await db().rateLimitBucket.deleteMany({});
    expect(await confirmToken(alice, sid, {})).toMatchObject({ status: 400, json: { error: "challenge_token is required" } });
    expect(await confirmToken(alice, "SID-0x00000000000000ff", { challenge_token: "ab".repeat(32) })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(hits).toHaveLength(0);
  });

  it("refuses private, loopback, link-local, reserved and IPv4-mapped addresses after resolution", async () => {
    const sid = await newAgent(alice);
    transport([]);
    const cases: ResolvedAddress[][] = [
      [{ address: "127.0.0.1", family: 4 }],
      [{ address: "10.0.0.5", family: 4 }],
      [{ address: "192.168.1.20", family: 4 }],
      [{ address: "169.254.169.254", family: 4 }],
      [{ address: "100.64.0.1", family: 4 }],
      [{ address: "::1", family: 6 }],
      [{ address: "fd00::1", family: 6 }],
      [{ address: "::ffff:127.0.0.1", family: 6 }],
      [{ address: "203.0.113.10", family: 4 }, { address: "172.16.0.1", family: 4 }],
      [],
    ];
    for (const addrs of cases) {
      resolveTo = () => addrs;
      await db().rateLimitBucket.deleteMany({});
      const r = await startVerify(alice, sid, { callbackUrl: url() });
      expect(r, JSON.stringify(addrs)).toMatchObject({ status: 400, json: { error: "callbackUrl must not resolve to a private address" } });
    }
    for (const literal of ["https://127.0.0.1/cb", "https://[::1]/cb", "https://10.1.2.3/cb"]) {
      await db().rateLimitBucket.deleteMany({});
      expect(await startVerify(alice, sid, { callbackUrl: literal })).toMatchObject({ status: 400, json: { error: "callbackUrl must not resolve to a private address" } });
    }
    expect(hits).toHaveLength(0);
    expect(await db().trustChallenge.count({ where: { profile: { agent: { signetSid: sid } } } })).toBe(0);
  });

  it("resolves once and connects to the checked address: a rebinding answer never reaches the private receiver", async () => {
    const sid = await newAgent(alice);
    transport([]);
    // First lookup: a public address; any later one would say loopback, where the receiver listens.
    resolveTo = (_h, n) => (n === 1 ? [{ address: "203.0.113.10", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]);
    const r = await startVerify(alice, sid, { callbackUrl: url() });
    expect(r.status).toBe(502);
    expect(typeof r.json.error).toBe("string");
    expect(lookups).toEqual(["callback.test"]);
    expect(hits).toHaveLength(0);
  });

  it("follows no redirect and reads at most 64 KiB of the answer", async () => {
    const sid = await newAgent(alice);
    answer = (res) => res.writeHead(302, { location: `https://callback.test:${port}/elsewhere` }).end();
    const redirected = await startVerify(alice, sid, { callbackUrl: url() });
    expect(redirected).toMatchObject({ status: 502, json: { error: "The callback answered a redirect; redirects are not followed" } });
    expect(hits.map((h) => h.path)).toEqual(["/cb"]);
    answer = (res) => res.writeHead(200).end("x".repeat(200 * 1024));
    const big = await startVerify(alice, sid, { callbackUrl: url() });
    expect(big).toMatchObject({ status: 502, json: { error: "The callback answered more than 64 KiB" } });
  });

  it("allows 3 attempts per hour per agent, then 429 \"Too many verification attempts\"", async () => {
    const sid = await newAgent(alice);
    const other = await newAgent(alice);
    for (let i = 0; i < 3; i++) expect((await startVerify(alice, sid, { callbackUrl: url() })).status).toBe(202);
    const fourth = await startVerify(alice, sid, { callbackUrl: url() });
    expect(fourth.status).toBe(429);
    expect(fourth.json).toEqual({ error: "Too many verification attempts" });
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(hits).toHaveLength(3);
    // Another agent, and another organization naming this SID, have their own counters.
    expect((await startVerify(alice, other, { callbackUrl: url() })).status).toBe(202);
    expect((await startVerify(bob, sid, { callbackUrl: url() })).status).toBe(403);
  });
});
