/**
 * Seed 003's demo endpoints (issue #17) against a real identity registry on anvil: the service
 * pattern, mutual verification with the demo agent (its signed answer checked on the caller's side),
 * the aggregate-only census, and chat's 503.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import type { Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { registerSignedAgentVerifier } from "@/lib/auth/signed-agent";
import { registerWithLocalProvider } from "@/lib/identity/local-provider";
import type { IdentityChain } from "@/lib/identity/registry";
import { signAgentRequest } from "@/lib/identity/sign";
import { signedAgentFor } from "@/lib/identity/verify-request";
import { DEMO_NULLIFIER, setUpDemoAgent } from "@/lib/demo/demo-agent";
import { verifyAgentResponse } from "@/lib/demo/demo";
import { aggregate } from "@/lib/demo/census";
import { POST as demoVerify } from "@/app/api/demo/verify/route";
import { POST as agentToAgent } from "@/app/api/demo/agent-to-agent/route";
import { GET as censusGet, POST as censusPost } from "@/app/api/demo/census/route";
import { POST as chat } from "@/app/api/demo/chat/route";
import { useTestDatabase } from "../helpers/db";
import { call, ORIGIN } from "../helpers/http";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
type Agent = { key: Hex; address: `0x${string}`; agentId: number };
const agents: Record<"same" | "other" | "c" | "d", Agent> = {} as never;
let demo: { agentId: number; address: `0x${string}` };

async function register(nullifier: bigint, nationality: string, olderThan: number, ofac: [boolean, boolean, boolean]): Promise<Agent> {
  const key = generatePrivateKey();
  const address = privateKeyToAccount(key).address;
  const { agentId } = await registerWithLocalProvider(db(), chain, {
    nullifier,
    agentAddress: address,
    verificationStrength: 2,
    credentials: { nationality, olderThan, ofac },
    metadata: { name: "test agent", description: "", a2aEndpoint: "", mcpEndpoint: "" },
  });
  return { key, address, agentId };
}

beforeAll(async () => {
  ({ devnet, network, chain } = await startIdentityDevnet({ maxAgentsPerHuman: 2n }));
  demo = await setUpDemoAgent(db(), chain);
  agents.same = await register(DEMO_NULLIFIER, "GBR", 21, [false, false, false]);
  agents.other = await register(7n, "GBR", 18, [false, false, false]);
  agents.c = await register(8n, "GBR", 18, [true, false, false]);
  agents.d = await register(9n, "FRA", 0, [false, false, false]);
  registerSignedAgentVerifier((req) => signedAgentFor(db(), req));
}, 180_000);

afterAll(async () => {
  registerSignedAgentVerifier(null);
  await devnet?.stop();
});

type Handler = Parameters<typeof call>[0];
async function signed(handler: Handler, method: string, path: string, who: Agent, body?: unknown) {
  const raw = body === undefined ? "" : JSON.stringify(body);
  const headers = await signAgentRequest(who.key, { method, url: `${ORIGIN}${path}`, body: raw, timestamp: Date.now() });
  return call(handler, method, path, { ...(body === undefined ? {} : { rawBody: raw }), headers });
}

describe("POST /api/demo/verify", () => {
  it("answers the verified caller's info, credentials and Sybil metrics", async () => {
    const r = await signed(demoVerify, "POST", "/api/demo/verify", agents.other, { hello: "world" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      valid: true,
      agentId: agents.other.agentId,
      chainId: devnet.chainId,
      agentAddress: agents.other.address,
      isVerified: true,
      proofProvider: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      verificationStrength: 2,
      strengthLabel: "Standard",
      credentials: { nationality: "GBR", olderThan: 18, ofac: [false, false, false] },
      registeredAt: expect.any(Number),
      network: "testnet",
      humanAgentCount: 1,
      maxAgentsPerHuman: 2,
    });
  });

  it("refuses unsigned, replayed and unregistered callers with the seed's statuses", async () => {
    const unsigned = await call(demoVerify, "POST", "/api/demo/verify", { body: {} });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json).toEqual({ error: "Missing agent authentication headers" });
    const raw = JSON.stringify({ n: 1 });
    const headers = await signAgentRequest(agents.other.key, { method: "POST", url: `${ORIGIN}/api/demo/verify`, body: raw, timestamp: Date.now() });
    expect((await call(demoVerify, "POST", "/api/demo/verify", { rawBody: raw, headers })).status).toBe(200);
    const replay = await call(demoVerify, "POST", "/api/demo/verify", { rawBody: raw, headers });
    expect(replay.status).toBe(409);
    expect(replay.json).toEqual({ error: "Replay detected" });
    const stranger = { key: generatePrivateKey(), address: "0x0000000000000000000000000000000000000001" as const, agentId: 0 };
    expect((await signed(demoVerify, "POST", "/api/demo/verify", stranger, {})).status).toBe(403);
  });
});

describe("POST /api/demo/agent-to-agent", () => {
  it("verifies the caller, checks sameHuman with the demo agent, and signs the answer (mutual verification)", async () => {
    const path = "/api/demo/agent-to-agent";
    const r = await signed(agentToAgent, "POST", path, agents.same, { ping: 1 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ verified: true, sameHuman: true, caller: { agentId: agents.same.agentId, agentAddress: agents.same.address }, demoAgent: { agentId: demo.agentId, agentAddress: demo.address } });
    expect(r.headers.get("x-self-agent-address")).toBe(demo.address);
    // the caller's side: the answer is signed by the registered demo agent over this request and this body
    const ok = await verifyAgentResponse(db(), { headers: r.headers, body: r.text }, { method: "POST", url: `${ORIGIN}${path}`, chainId: devnet.chainId, expectAddress: demo.address });
    expect(ok).toMatchObject({ address: demo.address, agentId: demo.agentId });
    await expect(verifyAgentResponse(db(), { headers: r.headers, body: r.text.replace("true", "false") }, { method: "POST", url: `${ORIGIN}${path}`, chainId: devnet.chainId })).rejects.toThrow(/signature/i);
    await expect(verifyAgentResponse(db(), { headers: r.headers, body: r.text }, { method: "POST", url: `${ORIGIN}/api/demo/verify`, chainId: devnet.chainId })).rejects.toThrow(/signature/i);
    await expect(verifyAgentResponse(db(), { headers: r.headers, body: r.text }, { method: "POST", url: `${ORIGIN}${path}`, chainId: devnet.chainId, expectAddress: agents.other.address })).rejects.toThrow("Response signed by another agent");

    const other = await signed(agentToAgent, "POST", path, agents.other, { ping: 2 });
    expect(other.json.sameHuman).toBe(false);
  });

  it('answers 503 "Service not configured" when the chain has no demo agent', async () => {
    const row = await db().demoAgent.findUniqueOrThrow({ where: { chainId: devnet.chainId } });
    await db().demoAgent.delete({ where: { chainId: devnet.chainId } });
    try {
      const r = await signed(agentToAgent, "POST", "/api/demo/agent-to-agent", agents.other, {});
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ error: "Service not configured" });
    } finally {
      await db().demoAgent.create({ data: { ...row, sealedKey: row.sealedKey as object } });
    }
    // and a second set-up keeps the registered demo agent
    expect(await setUpDemoAgent(db(), chain)).toEqual({ agentId: demo.agentId, address: demo.address, created: false });
  });
});

describe("/api/demo/census", () => {
  it("takes each agent's credentials once and answers only aggregates", async () => {
    const first = await signed(censusPost, "POST", "/api/demo/census", agents.same, {});
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ chainId: devnet.chainId, totalAgents: 1, byNationality: { other: 1 }, byAgeBracket: { unknown: 0, "18+": 0, "21+": 1 }, ofacClear: 1, minBucket: 3 });
    const again = await signed(censusPost, "POST", "/api/demo/census", agents.same, {});
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "Already contributed" });
    for (const a of [agents.other, agents.c, agents.d]) expect((await signed(censusPost, "POST", "/api/demo/census", a, {})).status).toBe(201);
    const read = await signed(censusGet, "GET", "/api/demo/census", agents.other);
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ chainId: devnet.chainId, totalAgents: 4, byNationality: { GBR: 3, other: 1 }, byAgeBracket: { unknown: 1, "18+": 2, "21+": 1 }, ofacClear: 3, minBucket: 3 });
    for (const a of Object.values(agents)) expect(read.text.toLowerCase()).not.toContain(a.address.toLowerCase());
    expect((await call(censusGet, "GET", "/api/demo/census")).status).toBe(401);
  });

  it("aggregate (pure): small nationalities fold into other, undisclosed is its own bucket", () => {
    const rows = [
      { nationality: "", olderThan: 0, ofacClear: false },
      { nationality: "", olderThan: 0, ofacClear: false },
      { nationality: "", olderThan: 18, ofacClear: true },
      { nationality: "DEU", olderThan: 25, ofacClear: true },
    ];
    expect(aggregate(rows)).toEqual({ totalAgents: 4, byNationality: { undisclosed: 3, other: 1 }, byAgeBracket: { unknown: 2, "18+": 1, "21+": 1 }, ofacClear: 2, minBucket: 3 });
  });
});

describe("POST /api/demo/chat", () => {
  it('answers 503 "Service not configured"; a bad body is 400; a bad signature 401', async () => {
    const r = await call(chat, "POST", "/api/demo/chat", { body: { query: "What is Self Agent ID?", session_id: "user-123" } });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: "Service not configured" });
    expect((await call(chat, "POST", "/api/demo/chat", { body: { query: "" } })).status).toBe(400);
    const signedOk = await signed(chat, "POST", "/api/demo/chat", agents.other, { query: "hi", session_id: "s" });
    expect(signedOk.status).toBe(503);
    const bad = await call(chat, "POST", "/api/demo/chat", {
      body: { query: "hi", session_id: "s" },
      headers: { "x-self-agent-address": agents.other.address, "x-self-agent-signature": "0x00", "x-self-agent-timestamp": String(Date.now()) },
    });
    expect(bad.status).toBe(401);
  });
});

describe("POST /api/demo/chat with DEMO_CHAT_URL (a local server speaking the OpenAI chat API)", () => {
  let server: Server;
  const seen: any[] = [];
  let failNext = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const body = JSON.parse(raw);
        seen.push({ path: req.url, auth: req.headers.authorization, body });
        if (failNext) {
          failNext = false;
          res.writeHead(500).end("boom");
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: `echo: ${body.messages[0].content.split("\n")[1]}` }, finish_reason: "stop" }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    process.env.DEMO_CHAT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    process.env.DEMO_CHAT_API_KEY = "sk-test";
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.DEMO_CHAT_URL;
    delete process.env.DEMO_CHAT_API_KEY;
    resetEnvCache();
    await new Promise((r) => server.close(r));
  });

  it("unsigned: answered as anonymous", async () => {
    const r = await call(chat, "POST", "/api/demo/chat", { body: { query: "What is Self Agent ID?", session_id: "user-123" } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ answer: "echo: The user is anonymous (unsigned request).", session_id: "user-123", verified: false, agent: null });
    expect(seen.at(-1)).toMatchObject({ path: "/v1/chat/completions", auth: "Bearer sk-test", body: { model: "gpt-4o-mini", user: "user-123", messages: [{ role: "system" }, { role: "user", content: "What is Self Agent ID?" }] } });
  });

  it("signed: the verified agent is in the context", async () => {
    const r = await signed(chat, "POST", "/api/demo/chat", agents.other, { query: "Who am I?", session_id: "s-2" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ verified: true, agent: { agentId: agents.other.agentId, agentAddress: agents.other.address, strengthLabel: "Standard" } });
    expect(r.json.answer).toContain(`verified agent: agent ${agents.other.agentId} on chain ${devnet.chainId}`);
  });

  it("a failing chat API is a 502 in the seed's body", async () => {
    failNext = true;
    const r = await call(chat, "POST", "/api/demo/chat", { body: { query: "hi", session_id: "s" } });
    expect(r.status).toBe(502);
    expect(r.json).toEqual({ error: "Chat service answered 500" });
  });
});
