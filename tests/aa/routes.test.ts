/**
 * Seed 003's account-abstraction proxy routes (/api/aa/token, /api/aa/bundler, /api/aa/paymaster):
 * origin restriction, proxy tokens (missing, tampered, expired, other chain), the seed's method
 * allow-lists, the 200 KB limit, 503 when nothing is configured, and forwarding to a configured
 * upstream (a local JSON-RPC server standing in for an external bundler / paymaster service).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { syncNetworks } from "@/lib/chain/network-registry";
import { localDevnetNetwork } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { BUNDLER_METHODS, PAYMASTER_METHODS } from "@/lib/aa/model";
import { issueProxyToken, verifyProxyToken } from "@/lib/aa/token";
import { POST as token } from "@/app/api/aa/token/route";
import { POST as bundler } from "@/app/api/aa/bundler/route";
import { POST as paymaster } from "@/app/api/aa/paymaster/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser, ORIGIN } from "../helpers/http";

useTestDatabase();

const CHAIN = 31337;
const OTHER_CHAIN = 11142220;
let upstream: Server;
let upstreamUrl: string;
const received: Array<{ path: string; body: any }> = [];
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const body = JSON.parse(data);
      received.push({ path: req.url ?? "", body });
      const result = body.method === "eth_chainId" ? `0x${CHAIN.toString(16)}` : { echoed: body.method, params: body.params };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, result }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await syncNetworks(db(), [localDevnetNetwork("http://127.0.0.1:1", CHAIN), { ...localDevnetNetwork("http://127.0.0.1:1", OTHER_CHAIN), name: "Other" }]);
});

afterEach(() => setEnv({ BUNDLER_RPC_URL: undefined, PAYMASTER_RPC_URL: undefined }));
afterAll(async () => {
  await new Promise((r) => upstream.close(r));
});

const rpc = (method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id: 7, method, params });
async function getToken(chainId = CHAIN, cookie?: string) {
  const r = await call(token, "POST", "/api/aa/token", { query: { chainId: String(chainId) }, headers: { origin: ORIGIN }, clientIp: freshIp(), cookie });
  expect(r.status).toBe(200);
  return r.json as { token: string; expiresAt: number };
}
const proxied = (handler: typeof bundler, path: string, body: unknown, opts: { token?: string; origin?: string | null; chainId?: number } = {}) => {
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  if (opts.token) headers["x-aa-proxy-token"] = opts.token;
  return call(handler, "POST", path, { query: { chainId: String(opts.chainId ?? CHAIN) }, headers, body, clientIp: freshIp() });
};

describe("POST /api/aa/token", () => {
  it("answers 503 Service not configured while the chain has no bundler and no paymaster", async () => {
    const r = await call(token, "POST", "/api/aa/token", { query: { chainId: String(CHAIN) }, headers: { origin: ORIGIN }, clientIp: freshIp() });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: "Service not configured" });
  });

  it("issues {token, expiresAt} (Unix ms, the configured lifetime) for the app's origin", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const before = Date.now();
    const t = await getToken();
    expect(Object.keys(t).sort()).toEqual(["expiresAt", "token"]);
    expect(t.token).toMatch(/^eyJhbGciOi/);
    expect(t.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(t.expiresAt).toBeLessThanOrEqual(before + 601_000);
    const claims = await verifyProxyToken(t.token, CHAIN);
    expect(claims.organizationId).toBeNull();
  });

  it("binds a signed-in caller's token to their organization (its sponsorship budget)", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const u = await makeUser();
    const t = await getToken(CHAIN, u.cookie);
    expect((await verifyProxyToken(t.token, CHAIN)).organizationId).toBe(u.organizationId);
  });

  it("refuses another origin, and a request without one, with 403", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const other = await call(token, "POST", "/api/aa/token", { query: { chainId: String(CHAIN) }, headers: { origin: "https://evil.example" }, clientIp: freshIp() });
    expect(other.status).toBe(403);
    expect(other.json).toEqual({ error: "Origin not allowed" });
    const none = await call(token, "POST", "/api/aa/token", { query: { chainId: String(CHAIN) }, clientIp: freshIp() });
    expect(none.status).toBe(403);
  });

  it("answers 400 for a chain the network registry does not know, and for a missing chainId", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const unknown = await call(token, "POST", "/api/aa/token", { query: { chainId: "999999" }, headers: { origin: ORIGIN }, clientIp: freshIp() });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unsupported chain 999999");
    const missing = await call(token, "POST", "/api/aa/token", { headers: { origin: ORIGIN }, clientIp: freshIp() });
    expect(missing.status).toBe(400);
    expect(typeof missing.json.error).toBe("string");
  });

  it("allows 30 requests per minute per IP, then 429 with Retry-After", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const ip = "203.0.113.77";
    for (let i = 0; i < 30; i++) {
      const r = await call(token, "POST", "/api/aa/token", { query: { chainId: String(CHAIN) }, headers: { origin: ORIGIN }, clientIp: ip });
      expect(r.status).toBe(200);
    }
    const over = await call(token, "POST", "/api/aa/token", { query: { chainId: String(CHAIN) }, headers: { origin: ORIGIN }, clientIp: ip });
    expect(over.status).toBe(429);
    expect(typeof over.json.error).toBe("string");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("POST /api/aa/bundler", () => {
  it("forwards each of the seed's 8 methods to the configured bundler ({chainId} substituted)", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/v2/{chainId}/rpc` });
    const { token: t } = await getToken();
    expect(BUNDLER_METHODS).toHaveLength(8);
    for (const method of BUNDLER_METHODS) {
      received.length = 0;
      const r = await proxied(bundler, "/api/aa/bundler", rpc(method, ["0xabc"]), { token: t });
      expect(r.status).toBe(200);
      expect(r.json.id).toBe(7);
      expect(received).toEqual([{ path: `/v2/${CHAIN}/rpc`, body: { jsonrpc: "2.0", id: 7, method, params: ["0xabc"] } }]);
    }
  });

  it("refuses methods outside the allow-list with 400 and forwards nothing", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    received.length = 0;
    for (const method of ["eth_sendRawTransaction", "debug_bundler_sendBundleNow", "pimlico_getUserOperationGasPrice", "pm_getPaymasterData", "eth_call"]) {
      const r = await proxied(bundler, "/api/aa/bundler", rpc(method), { token: t });
      expect(r.status).toBe(400);
      expect(r.json.error).toBe(`Method not allowed: ${method}`);
    }
    expect(received).toEqual([]);
  });

  it("requires x-aa-proxy-token: missing, tampered, expired and other-chain tokens are 401", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const missing = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"));
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ error: "Missing x-aa-proxy-token header" });

    const { token: t } = await getToken();
    const [h, p, s] = t.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, org: "00000000-0000-0000-0000-000000000000" })).toString("base64url")}.${s}`;
    const flipped = `${t.slice(0, -2)}${t.at(-2) === "A" ? "B" : "A"}${t.at(-1)}`;
    for (const bad of [forged, flipped, "not-a-token"]) {
      const r = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: bad });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "Invalid or tampered proxy token" });
    }

    const expired = await issueProxyToken({ chainId: CHAIN, organizationId: null, ttlSeconds: 10 }, Date.now() - 60_000);
    const old = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: expired.token });
    expect(old.status).toBe(401);
    expect(old.json).toEqual({ error: "Proxy token expired" });

    const other = await getToken(OTHER_CHAIN);
    const wrongChain = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: other.token });
    expect(wrongChain.status).toBe(401);
    expect(wrongChain.json).toEqual({ error: "Proxy token was issued for another chain" });
  });

  it("refuses another origin with 403, even with a valid token", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    received.length = 0;
    for (const origin of ["https://evil.example", "http://localhost:3001", null]) {
      const r = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: t, origin });
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Origin not allowed" });
    }
    expect(received).toEqual([]);
  });

  it("answers 413 above 200 KB, and takes a body just under it", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    const padding = (n: number) => "0x" + "ab".repeat(n);
    const big = await proxied(bundler, "/api/aa/bundler", rpc("eth_sendUserOperation", [padding(100 * 1024 + 10)]), { token: t });
    expect(big.status).toBe(413);
    expect(typeof big.json.error).toBe("string");
    const under = await proxied(bundler, "/api/aa/bundler", rpc("eth_sendUserOperation", [padding(99 * 1024)]), { token: t });
    expect(under.status).toBe(200);
  });

  it("answers 503 Service not configured when no bundler is configured", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    setEnv({ BUNDLER_RPC_URL: undefined });
    const r = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: t });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: "Service not configured" });
  });

  it("a single-chain bundler URL serves only the chain it answers eth_chainId with", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/single` });
    const mine = await getToken(CHAIN);
    const ok = await proxied(bundler, "/api/aa/bundler", rpc("eth_supportedEntryPoints"), { token: mine.token });
    expect(ok.status).toBe(200);
    const r = await call(token, "POST", "/api/aa/token", { query: { chainId: String(OTHER_CHAIN) }, headers: { origin: ORIGIN }, clientIp: freshIp() });
    expect(r.status).toBe(503);
  });

  it("a non-JSON-RPC body is a 400 in the error shape", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    const r = await proxied(bundler, "/api/aa/bundler", { method: "eth_chainId" }, { token: t });
    expect(r.status).toBe(400);
    expect(typeof r.json.error).toBe("string");
  });

  it("an unreachable bundler is the seed's 500 RPC failure", async () => {
    setEnv({ BUNDLER_RPC_URL: "http://127.0.0.1:1/{chainId}" });
    const { token: t } = await getToken();
    const r = await proxied(bundler, "/api/aa/bundler", rpc("eth_chainId"), { token: t });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: "RPC failure" });
  });
});

describe("POST /api/aa/paymaster", () => {
  it("forwards the seed's 4 methods to PAYMASTER_RPC_URL when it is set", async () => {
    setEnv({ PAYMASTER_RPC_URL: `${upstreamUrl}/pm/{chainId}` });
    const { token: t } = await getToken();
    expect(PAYMASTER_METHODS).toHaveLength(4);
    for (const method of PAYMASTER_METHODS) {
      received.length = 0;
      const r = await proxied(paymaster, "/api/aa/paymaster", rpc(method, [{}]), { token: t });
      expect(r.status).toBe(200);
      expect(received).toEqual([{ path: `/pm/${CHAIN}`, body: { jsonrpc: "2.0", id: 7, method, params: [{}] } }]);
    }
  });

  it("refuses bundler methods and others with 400", async () => {
    setEnv({ PAYMASTER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    for (const method of ["eth_sendUserOperation", "eth_estimateUserOperationGas", "pm_validateSponsorshipPolicies", "eth_accounts"]) {
      const r = await proxied(paymaster, "/api/aa/paymaster", rpc(method), { token: t });
      expect(r.status).toBe(400);
      expect(r.json.error).toBe(`Method not allowed: ${method}`);
    }
  });

  it("answers 503 when neither PAYMASTER_RPC_URL nor a deployed paymaster serves the chain", async () => {
    setEnv({ BUNDLER_RPC_URL: `${upstreamUrl}/{chainId}` });
    const { token: t } = await getToken();
    const r = await proxied(paymaster, "/api/aa/paymaster", rpc("eth_chainId"), { token: t });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: "Service not configured" });
  });

  it("requires the token and the app's origin too", async () => {
    setEnv({ PAYMASTER_RPC_URL: `${upstreamUrl}/{chainId}` });
    expect((await proxied(paymaster, "/api/aa/paymaster", rpc("eth_chainId"))).status).toBe(401);
    const { token: t } = await getToken();
    expect((await proxied(paymaster, "/api/aa/paymaster", rpc("eth_chainId"), { token: t, origin: "https://evil.example" })).status).toBe(403);
    const big = await proxied(paymaster, "/api/aa/paymaster", rpc("pm_getPaymasterData", ["0x" + "00".repeat(210 * 1024)]), { token: t });
    expect(big.status).toBe(413);
  });
});
