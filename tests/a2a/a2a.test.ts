/**
 * POST /api/a2a (A2A JSON-RPC on @a2a-js/sdk) and the signed agent cards, against a real identity
 * registry on anvil: the seed's literal request, the SDK's own client (A2A 1.0 and its v0.3 layer),
 * JSON-RPC errors, signed callers, task scoping, and the card signatures checked with jose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactVerify, createLocalJWKSet, flattenedVerify, base64url, decodeProtectedHeader } from "jose";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { AgentCard, canonicalizeAgentCard, verifyAgentCardSignature, type SendMessageRequest } from "@a2a-js/sdk";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory } from "@a2a-js/sdk/client";
import type { Devnet } from "@/lib/chain/devnet";
import type { Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { registerSignedAgentVerifier } from "@/lib/auth/signed-agent";
import { registerWithLocalProvider } from "@/lib/identity/local-provider";
import type { IdentityChain } from "@/lib/identity/registry";
import { signAgentRequest } from "@/lib/identity/sign";
import { signedAgentFor } from "@/lib/identity/verify-request";
import { IDENTITY_EXTENSION_URI } from "@/lib/a2a/card";
import { parseIntent } from "@/lib/a2a/intents";
import { POST as a2a } from "@/app/api/a2a/route";
import { GET as serviceCard } from "@/app/.well-known/agent-card.json/route";
import { GET as cardJwks } from "@/app/.well-known/agent-card-jwks.json/route";
import { GET as cards } from "@/app/api/cards/[chainId]/[agentId]/route";
import { GET as wellKnownA2a } from "@/app/.well-known/a2a/[agentId]/route";
import { useTestDatabase } from "../helpers/db";
import { call, ORIGIN } from "../helpers/http";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
const agentKey = generatePrivateKey();
const agentA = privateKeyToAccount(agentKey).address;
const human = privateKeyToAccount(generatePrivateKey()).address;
let idA: number;
const creds = { nationality: "GBR", olderThan: 18, ofac: [false, false, false] as const };

beforeAll(async () => {
  ({ devnet, network, chain } = await startIdentityDevnet());
  idA = (
    await registerWithLocalProvider(db(), chain, {
      nullifier: 42n,
      agentAddress: agentA,
      humanAddress: human,
      verificationStrength: 2,
      credentials: creds,
      metadata: { name: "Agent A", description: "Agent A for tests", a2aEndpoint: "", mcpEndpoint: "" },
    })
  ).agentId;
  registerSignedAgentVerifier((req) => signedAgentFor(db(), req));
}, 120_000);

afterAll(async () => {
  registerSignedAgentVerifier(null);
  await devnet?.stop();
});

const rpc = (body: unknown, headers: Record<string, string> = {}) => call(a2a, "POST", "/api/a2a", { body, headers });
const send = (data: unknown, extra: Record<string, unknown> = {}) =>
  rpc({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { role: "user", messageId: crypto.randomUUID(), parts: [{ kind: "data", data }] } }, ...extra });
const artifactData = (result: any) => result.artifacts[0].parts[0].data;

/** Routes the SDK client's requests to the handlers in-process. */
const appFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const path = new URL(req.url).pathname;
  const headers = Object.fromEntries(req.headers.entries());
  if (req.method === "GET" && path === "/.well-known/agent-card.json") return serviceCard(new Request(req.url, { headers }), { params: Promise.resolve({}) });
  if (req.method === "POST" && path === "/api/a2a") return a2a(new Request(req.url, { method: "POST", headers, body: await req.text() }), { params: Promise.resolve({}) });
  return new Response("no route", { status: 404 });
};

describe("POST /api/a2a: the seed's request", () => {
  it("the seed's literal example (A2A 0.1 part shape, no messageId) answers the register intent with the REST call to make", async () => {
    const r = await rpc({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { role: "user", parts: [{ type: "data", data: { intent: "register" } }] } } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ jsonrpc: "2.0", id: 1, result: { kind: "task", status: { state: "completed" } } });
    expect(artifactData(r.json.result)).toEqual({
      intent: "register",
      next: { method: "POST", url: `${ORIGIN}/api/agent/register`, body: { mode: "wallet-free", network: "mainnet", disclosures: { minimumAge: 18, ofac: true } } },
      registrationModes: ["linked", "wallet-free", "ed25519", "ed25519-linked", "privy", "smartwallet"],
      sessionTtlMs: 1800000,
    });
  });

  it("lookup / verify / freshness read the registry (chainId selects the chain)", async () => {
    const lookup = await send({ intent: "lookup", agentId: idA, chainId: devnet.chainId });
    expect(artifactData(lookup.json.result)).toMatchObject({ intent: "lookup", agentId: idA, chainId: devnet.chainId, agentAddress: agentA, isVerified: true, strengthLabel: "Standard", credentials: creds, network: "testnet" });
    const byAddress = await send({ intent: "lookup", agentAddress: agentA.toLowerCase(), chainId: devnet.chainId });
    expect(artifactData(byAddress.json.result).agentId).toBe(idA);
    const verify = await send({ intent: "verify", agentId: idA, chainId: devnet.chainId });
    expect(artifactData(verify.json.result)).toMatchObject({ intent: "verify", agentId: idA, isVerified: true, humanAgentCount: 1, maxAgentsPerHuman: 1 });
    const fresh = await send({ intent: "freshness", agentId: idA, chainId: devnet.chainId });
    expect(artifactData(fresh.json.result)).toMatchObject({ intent: "freshness", verified: true, proofType: "Standard", proofAgeSeconds: expect.any(Number) });
  });

  it("mainnet is the default network: with no Celo configured it is the devnet here", async () => {
    const r = await send({ intent: "verify", agentId: idA });
    expect(artifactData(r.json.result)).toMatchObject({ chainId: devnet.chainId, agentId: idA });
  });

  it("help, status and deregister", async () => {
    const help = await rpc({ jsonrpc: "2.0", id: "h", method: "message/send", params: { message: { role: "user", messageId: "m1", parts: [{ kind: "text", text: "What can you do?" }] } } });
    expect(artifactData(help.json.result).intents.map((i: { intent: string }) => i.intent)).toEqual(["register", "status", "lookup", "verify", "deregister", "freshness", "help"]);
    const status = await send({ intent: "status", sessionToken: "enc_abc" });
    expect(artifactData(status.json.result).next).toEqual({ method: "GET", url: `${ORIGIN}/api/agent/register/status?token=enc_abc` });
    const dereg = await send({ intent: "deregister", agentAddress: agentA, network: "testnet" });
    expect(artifactData(dereg.json.result).next).toEqual({ method: "POST", url: `${ORIGIN}/api/agent/deregister`, body: { network: "testnet", agentAddress: agentA, disclosures: { minimumAge: 18, ofac: true } } });
  });

  it("natural language names the intent and the agent", () => {
    expect(parseIntent([{ content: { $case: "text", value: "please verify agent 7 on testnet" } }])).toEqual({ intent: "verify", agentId: 7, network: "testnet" });
    expect(() => parseIntent([{ content: { $case: "text", value: "good morning" } }])).toThrow(/No intent recognised/);
  });

  it("tasks/get returns the stored task; another caller does not see it", async () => {
    const sent = await send({ intent: "help" });
    const taskId = sent.json.result.id as string;
    const got = await rpc({ jsonrpc: "2.0", id: 2, method: "tasks/get", params: { id: taskId } });
    expect(got.json.result).toMatchObject({ id: taskId, kind: "task", status: { state: "completed" } });
    expect(artifactData(got.json.result).intent).toBe("help");
    expect(await db().a2aTask.count({ where: { id: taskId, owner: "anonymous" } })).toBe(1);
    // a signed caller is another owner
    const body = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tasks/get", params: { id: taskId } });
    const headers = await signAgentRequest(agentKey, { method: "POST", url: `${ORIGIN}/api/a2a`, body, timestamp: Date.now() });
    const other = await call(a2a, "POST", "/api/a2a", { rawBody: body, headers });
    expect(other.json.error).toMatchObject({ code: -32001 });
  });
});

describe("POST /api/a2a: errors are JSON-RPC errors", () => {
  it("unknown method, invalid request, bad intent, unknown agent, unknown chain", async () => {
    expect((await rpc({ jsonrpc: "2.0", id: 9, method: "agent/fly", params: {} })).json).toMatchObject({ jsonrpc: "2.0", id: 9, error: { code: -32601 } });
    expect((await rpc({ jsonrpc: "1.0", id: 9, method: "message/send" })).json).toMatchObject({ id: 9, error: { code: -32600 } });
    expect((await rpc([1, 2])).json).toMatchObject({ id: null, error: { code: -32600 } });
    expect((await rpc({ jsonrpc: "2.0", id: 9, method: "message/send", params: { message: { role: "user", messageId: "x" } } })).json.error.code).toBe(-32602);
    const bad = await send({ intent: "teleport" });
    expect(bad.status).toBe(200);
    expect(bad.json.error).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid intent: intent:/) });
    expect((await send({ intent: "lookup", chainId: devnet.chainId })).json.error).toMatchObject({ code: -32602, message: expect.stringMatching(/needs agentId or agentAddress/) });
    expect((await send({ intent: "lookup", agentId: 999, chainId: devnet.chainId })).json.error).toMatchObject({ code: -32602, message: "Agent not found", data: { status: 404 } });
    expect((await send({ intent: "lookup", agentId: 1, chainId: 777 })).json.error).toMatchObject({ code: -32602, message: "Unsupported chain 777" });
    expect((await send({ intent: "lookup", agentId: 1, chainId: 42220 })).json.error).toMatchObject({ code: -32603, message: "Service not configured", data: { status: 503 } });
    expect((await send({ intent: "status" })).json.error).toMatchObject({ code: -32602, message: "The status intent needs sessionToken" });
    expect((await rpc({ jsonrpc: "2.0", id: 5, method: "message/stream", params: { message: { role: "user", messageId: "s", parts: [{ kind: "data", data: { intent: "help" } }] } } })).json.error.code).toBe(-32004);
    expect(await db().a2aTask.count()).toBeGreaterThan(0);
  });

  it("an unsupported A2A-Version is refused as a JSON-RPC error", async () => {
    const r = await rpc({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: {} }, { "a2a-version": "9.9" });
    expect(r.json).toMatchObject({ id: 1, error: { code: -32009 } });
  });
});

describe("POST /api/a2a: signed callers", () => {
  const signed = async (data: unknown, timestamp = Date.now()) => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { role: "user", messageId: crypto.randomUUID(), parts: [{ kind: "data", data }] } } });
    const headers = await signAgentRequest(agentKey, { method: "POST", url: `${ORIGIN}/api/a2a`, body, timestamp });
    return { body, headers, res: await call(a2a, "POST", "/api/a2a", { rawBody: body, headers }) };
  };

  it("a signed request may leave the agent out: the intent is about the caller", async () => {
    const { res } = await signed({ intent: "lookup" });
    expect(artifactData(res.json.result)).toMatchObject({ agentId: idA, agentAddress: agentA });
    const { res: dereg } = await signed({ intent: "deregister" });
    expect(artifactData(dereg.json.result).next.body.agentAddress).toBe(agentA);
    const taskId = res.json.result.id as string;
    expect(await db().a2aTask.count({ where: { id: taskId, owner: `agent:${agentA.toLowerCase()}` } })).toBe(1);
  });

  it("a bad signature, a stale timestamp and a replay are refused before JSON-RPC ({error})", async () => {
    const { body, headers } = await signed({ intent: "help" });
    const replay = await call(a2a, "POST", "/api/a2a", { rawBody: body, headers });
    expect(replay.status).toBe(409);
    expect(replay.json).toEqual({ error: "Replay detected" });
    const tampered = await call(a2a, "POST", "/api/a2a", { rawBody: body.replace("help", "lookup"), headers: { ...headers, "x-self-agent-timestamp": String(Date.now()) } });
    expect(tampered.status).toBe(401);
    const stale = await signed({ intent: "help" }, Date.now() - 10 * 60_000);
    expect(stale.res.status).toBe(401);
    const stranger = generatePrivateKey();
    const b = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "message/send", params: {} });
    const notRegistered = await call(a2a, "POST", "/api/a2a", { rawBody: b, headers: await signAgentRequest(stranger, { method: "POST", url: `${ORIGIN}/api/a2a`, body: b, timestamp: Date.now() }) });
    expect(notRegistered.status).toBe(403);
  });
});

describe("the SDK's own client", () => {
  it("resolves the signed card, speaks A2A 1.0, sends a message and reads the task back", async () => {
    const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: appFetch })], cardResolver: new DefaultAgentCardResolver({ fetchImpl: appFetch }) });
    const client = await factory.createFromUrl(ORIGIN);
    const req = {
      tenant: "",
      message: {
        messageId: crypto.randomUUID(),
        contextId: "",
        taskId: "",
        role: 1,
        parts: [{ content: { $case: "data", value: { intent: "verify", agentId: idA, chainId: devnet.chainId } }, metadata: undefined, filename: "", mediaType: "application/json" }],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: undefined,
      metadata: undefined,
    } as unknown as SendMessageRequest;
    const result = (await client.sendMessage(req)) as any;
    expect(result.id).toEqual(expect.any(String));
    expect(result.status.state).toBe(3); // TASK_STATE_COMPLETED
    expect(result.artifacts[0].parts[0].content).toEqual({ $case: "data", value: expect.objectContaining({ intent: "verify", agentId: idA, isVerified: true }) });
    const again = (await client.getTask({ tenant: "", id: result.id, historyLength: undefined } as never)) as any;
    expect(again.artifacts[0].parts[0].content.value.intent).toBe("verify");
  });

  it("with its v0.3 layer it speaks the seed's message/send", async () => {
    const factory = new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: appFetch, legacyCompat: { enabled: true } })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl: appFetch, legacyCompat: { enabled: true } }),
      preferredTransports: ["JSONRPC"],
    });
    const card = AgentCard.fromJSON({ ...(await call(serviceCard, "GET", "/.well-known/agent-card.json")).json });
    card.supportedInterfaces = card.supportedInterfaces.filter((i) => i.protocolVersion === "0.3");
    const client = await factory.createFromAgentCard(card);
    const result = (await client.sendMessage({
      tenant: "",
      message: { messageId: crypto.randomUUID(), contextId: "", taskId: "", role: 1, parts: [{ content: { $case: "data", value: { intent: "help" } }, metadata: undefined, filename: "", mediaType: "" }], metadata: undefined, extensions: [], referenceTaskIds: [] },
      configuration: undefined,
      metadata: undefined,
    } as unknown as SendMessageRequest)) as any;
    expect(result.artifacts[0].parts[0].content.value.intent).toBe("help");
  });
});

describe("signed agent cards", () => {
  const jwks = async () => (await call(cardJwks, "GET", "/.well-known/agent-card-jwks.json")).json as { keys: any[] };

  it("/.well-known/agent-card.json is a v1.0 AgentCard (and v0.3 fields) signed with a key from the card JWKS", async () => {
    const r = await call(serviceCard, "GET", "/.well-known/agent-card.json");
    expect(r.status).toBe(200);
    const card = r.json;
    expect(card).toMatchObject({ name: "Self Agent ID", protocolVersion: "0.3.0", url: `${ORIGIN}/api/a2a`, preferredTransport: "JSONRPC" });
    expect(card.supportedInterfaces).toEqual([
      { url: `${ORIGIN}/api/a2a`, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: `${ORIGIN}/api/a2a`, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
    ]);
    // the SDK's AgentCard type reads it without loss of the v1.0 fields
    const parsed = AgentCard.fromJSON(card);
    expect(parsed.skills.map((s) => s.id)).toEqual(["register", "status", "lookup", "verify", "deregister", "freshness", "help"]);
    expect(parsed.signatures).toHaveLength(1);

    const keys = await jwks();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(keys.keys[0].d).toBeUndefined();
    const header = decodeProtectedHeader(card.signatures[0]);
    expect(header).toEqual({ alg: "ES256", kid: keys.keys[0].kid, typ: "JOSE", jku: `${ORIGIN}/.well-known/agent-card-jwks.json` });

    // jose alone: the JWS over the canonical card (detached payload) verifies with the published key
    const payload = base64url.encode(canonicalizeAgentCard(card));
    const ok = await flattenedVerify({ payload, protected: card.signatures[0].protected, signature: card.signatures[0].signature }, createLocalJWKSet(keys));
    expect(JSON.parse(new TextDecoder().decode(ok.payload)).name).toBe("Self Agent ID");
    await expect(compactVerify(`${card.signatures[0].protected}.${payload}.${card.signatures[0].signature}`, createLocalJWKSet(keys))).resolves.toBeTruthy();
    // a changed card does not verify
    const forged = base64url.encode(canonicalizeAgentCard({ ...card, supportedInterfaces: [{ url: "https://evil.example/a2a", protocolBinding: "JSONRPC", protocolVersion: "1.0" }] }));
    await expect(flattenedVerify({ payload: forged, protected: card.signatures[0].protected, signature: card.signatures[0].signature }, createLocalJWKSet(keys))).rejects.toThrow();
  });

  it("the private key is sealed at rest and the same key signs again", async () => {
    const row = await db().a2aCardKey.findFirstOrThrow();
    expect(JSON.stringify(row.sealedPrivateKey)).not.toMatch(/"d"\s*:/);
    await call(serviceCard, "GET", "/.well-known/agent-card.json");
    expect(await db().a2aCardKey.count()).toBe(1);
  });

  it("/api/cards/{chainId}/{agentId} is signed too; the identity extension is covered by the signature", async () => {
    const r = await call(cards, "GET", "/x", { params: { chainId: String(devnet.chainId), agentId: String(idA) } });
    expect(r.status).toBe(200);
    const card = r.json;
    expect(card.identity).toMatchObject({ agentId: idA, agentAddress: agentA });
    expect(card.capabilities.extensions).toEqual([expect.objectContaining({ uri: IDENTITY_EXTENSION_URI, params: card.identity })]);
    const keys = await jwks();
    await expect(verifyAgentCardSignature(async (kid) => keys.keys.find((k) => k.kid === kid))(card)).resolves.toBeUndefined();
    const tampered = { ...card, capabilities: { ...card.capabilities, extensions: [{ ...card.capabilities.extensions[0], params: { ...card.identity, verificationStrength: 3 } }] } };
    await expect(verifyAgentCardSignature(async (kid) => keys.keys.find((k) => k.kid === kid))(tampered)).rejects.toThrow(/No valid signatures/);
  });

  it("/.well-known/a2a/{agentId} still redirects to the card resolver", async () => {
    const r = await call(wellKnownA2a, "GET", `/.well-known/a2a/${idA}`, { params: { agentId: String(idA) }, query: { chain: String(devnet.chainId) } });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`${ORIGIN}/api/cards/${devnet.chainId}/${idA}`);
  });
});
