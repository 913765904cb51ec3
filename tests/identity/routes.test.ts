/**
 * Seed 003's public identity queries against a real registry on anvil, set up exactly as `npm start`
 * does (setUpDevnetIdentity), with agents minted by the local proof provider.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { setUpDevnetIdentity } from "@/lib/identity/devnet";
import { deregisterWithLocalProvider, registerWithLocalProvider } from "@/lib/identity/local-provider";
import type { IdentityChain } from "@/lib/identity/registry";
import { GET as info } from "@/app/api/agent/info/[chainId]/[agentId]/route";
import { GET as agents } from "@/app/api/agent/agents/[chainId]/[address]/route";
import { GET as verify } from "@/app/api/agent/verify/[chainId]/[agentId]/route";
import { GET as byNullifier } from "@/app/api/agent/agents-by-nullifier/[chainId]/[nullifier]/route";
import { GET as reputation } from "@/app/api/reputation/[chainId]/[agentId]/route";
import { GET as verifyStatus } from "@/app/api/verify-status/[chainId]/[agentId]/route";
import { GET as cards } from "@/app/api/cards/[chainId]/[agentId]/route";
import { GET as a2a } from "@/app/.well-known/a2a/[agentId]/route";
import { GET as discovery } from "@/app/.well-known/self-agent-id.json/route";
import { GET as identityFace } from "@/app/api/v1/agents/[id]/identity/route";
import { PATCH as patchAgent } from "@/app/api/v1/agents/[id]/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser, ORIGIN } from "../helpers/http";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
let provider: Address;
const human = privateKeyToAccount(generatePrivateKey()).address;
const agentA = privateKeyToAccount(generatePrivateKey()).address;
const agentB = privateKeyToAccount(generatePrivateKey()).address;
const NULLIFIER = 123456789012345678901234567890n;
let idA: number;
let idB: number;
let blockA: bigint;

const creds = { nationality: "GBR", olderThan: 18, ofac: [false, false, false] as const };
const meta = (name: string) => ({ name, description: `${name} for tests`, a2aEndpoint: `${ORIGIN}/api/cards/31337/x`, mcpEndpoint: "" });

beforeAll(async () => {
  // two agents for the same human: raise the Sybil limit
  ({ devnet, network, chain, provider } = await startIdentityDevnet({ maxAgentsPerHuman: 2n }));
  const a = await registerWithLocalProvider(db(), chain, { nullifier: NULLIFIER, agentAddress: agentA, humanAddress: human, verificationStrength: 2, credentials: creds, metadata: meta("Agent A") });
  idA = a.agentId;
  blockA = (await publicClientFor(network).getTransactionReceipt({ hash: a.txHash })).blockNumber;
  idB = (await registerWithLocalProvider(db(), chain, { nullifier: NULLIFIER, agentAddress: agentB, humanAddress: human, verificationStrength: 3, credentials: creds, metadata: meta("Agent B") })).agentId;
}, 120_000);

afterAll(async () => {
  await devnet?.stop();
});

const p = (agentId: number | string, chainId: number | string = devnet.chainId) => ({ chainId: String(chainId), agentId: String(agentId) });

describe("npm start's devnet identity set-up", () => {
  it("records the registry in the network registry and reuses it on a second start", async () => {
    const row = await db().network.findUniqueOrThrow({ where: { chainId: devnet.chainId } });
    expect(row.identityRegistry).toBe(chain.registry);
    const again = await setUpDevnetIdentity(db(), network, privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey));
    expect(again).toEqual({ registry: chain.registry, deployed: false, provider });
  });
});

describe("seed 003 public queries", () => {
  it("GET /api/agent/info/{chainId}/{agentId} has the seed's fields", async () => {
    const r = await call(info, "GET", `/api/agent/info/${devnet.chainId}/${idA}`, { params: p(idA) });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      agentId: idA,
      chainId: devnet.chainId,
      agentAddress: getAddress(agentA),
      isVerified: true,
      proofProvider: provider,
      verificationStrength: 2,
      strengthLabel: "Standard",
      credentials: { nationality: "GBR", olderThan: 18, ofac: [false, false, false] },
      registeredAt: expect.any(Number),
      network: "testnet",
    });
    const block = await publicClientFor(network).getBlock({ blockNumber: blockA });
    expect(r.json.registeredAt).toBe(Number(block.timestamp));
  });

  it("GET /api/agent/agents/{chainId}/{address} lists the human's agents", async () => {
    const r = await call(agents, "GET", "/x", { params: { chainId: String(devnet.chainId), address: human.toLowerCase() } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ agents: [idA, idB], chainId: devnet.chainId, humanAddress: getAddress(human) });
    const none = await call(agents, "GET", "/x", { params: { chainId: String(devnet.chainId), address: agentA } });
    expect(none.json.agents).toEqual([]);
    const bad = await call(agents, "GET", "/x", { params: { chainId: String(devnet.chainId), address: "0xabc" } });
    expect(bad.status).toBe(400);
    expect(typeof bad.json.error).toBe("string");
  });

  it("GET /api/agent/verify/{chainId}/{agentId} has the Sybil metrics", async () => {
    const r = await call(verify, "GET", "/x", { params: p(idB) });
    expect(r.json).toEqual({ agentId: idB, isVerified: true, proofProvider: provider, strengthLabel: "Enhanced", humanAgentCount: 2, maxAgentsPerHuman: 2 });
  });

  it("GET /api/agent/agents-by-nullifier/{chainId}/{nullifier}", async () => {
    const r = await call(byNullifier, "GET", "/x", { params: { chainId: String(devnet.chainId), nullifier: NULLIFIER.toString() } });
    expect(r.json).toEqual({ nullifier: NULLIFIER.toString(), agents: [idA, idB], chainId: devnet.chainId });
    const other = await call(byNullifier, "GET", "/x", { params: { chainId: String(devnet.chainId), nullifier: "42" } });
    expect(other.json.agents).toEqual([]);
    const bad = await call(byNullifier, "GET", "/x", { params: { chainId: String(devnet.chainId), nullifier: "0x12" } });
    expect(bad.status).toBe(400);
  });

  it("GET /api/reputation/{chainId}/{agentId} names the mock provider", async () => {
    const r = await call(reputation, "GET", "/x", { params: p(idA) });
    expect(r.json).toEqual({ score: 2, hasProof: true, providerName: "Local proof provider (mock)", proofType: "Standard" });
  });

  it("GET /api/verify-status/{chainId}/{agentId}: registeredAtBlock is a string", async () => {
    const r = await call(verifyStatus, "GET", "/x", { params: p(idA) });
    expect(r.json).toEqual({ verified: true, proofType: "Standard", registeredAtBlock: blockA.toString(), providerAddress: provider, proofRefreshedAt: expect.any(Number) });
  });

  it("GET /api/cards/{chainId}/{agentId} is an A2A card with the identity", async () => {
    const r = await call(cards, "GET", "/x", { params: p(idA) });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      protocolVersion: "0.3.0",
      name: "Agent A",
      description: "Agent A for tests",
      url: `${ORIGIN}/api/a2a`,
      preferredTransport: "JSONRPC",
      identity: { agentId: idA, chainId: devnet.chainId, registry: `eip155:${devnet.chainId}:${chain.registry}`, agentAddress: getAddress(agentA), isVerified: true, humanAgentCount: 2, maxAgentsPerHuman: 2 },
    });
    expect(r.json.skills.map((s: { id: string }) => s.id)).toEqual(["register", "status", "lookup", "verify", "deregister", "freshness", "help"]);
  });

  it("GET /.well-known/a2a/{agentId}?chain= redirects to the card", async () => {
    const r = await call(a2a, "GET", `/.well-known/a2a/${idA}`, { params: { agentId: String(idA) }, query: { chain: String(devnet.chainId) } });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`${ORIGIN}/api/cards/${devnet.chainId}/${idA}`);
    const dflt = await call(a2a, "GET", `/.well-known/a2a/${idA}`, { params: { agentId: String(idA) } });
    expect(dflt.headers.get("location")).toBe(`${ORIGIN}/api/cards/${devnet.chainId}/${idA}`);
  });

  it("GET /.well-known/self-agent-id.json is the seed's discovery document", async () => {
    const r = await call(discovery, "GET", "/.well-known/self-agent-id.json");
    expect(r.json).toEqual({
      name: "Self Agent ID",
      version: "1.0",
      apiBase: `${ORIGIN}/api/agent`,
      networks: ["mainnet", "testnet"],
      registrationModes: ["linked", "wallet-free", "ed25519", "ed25519-linked", "privy", "smartwallet"],
      capabilities: ["register", "deregister", "verify", "credentials", "agent-card", "a2a"],
      sessionTtlMs: 1800000,
    });
  });

  it("404 {error} for an agent that is not on chain, and after it was burned", async () => {
    const r = await call(info, "GET", "/x", { params: p(999) });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error: "Agent not found" });
    const extra = privateKeyToAccount(generatePrivateKey()).address;
    const { agentId } = await registerWithLocalProvider(db(), chain, { nullifier: 77n, agentAddress: extra, verificationStrength: 1, credentials: creds, metadata: meta("Burnt") });
    expect((await call(info, "GET", "/x", { params: p(agentId) })).json.strengthLabel).toBe("Basic");
    await deregisterWithLocalProvider(db(), chain, agentId, 77n);
    const gone = await call(verify, "GET", "/x", { params: p(agentId) });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "Agent not found" });
  });

  it("400 for a malformed chain or agent id, 400 for a chain the network registry does not know", async () => {
    for (const params of [p("abc"), p(0), p(1, "x"), p("1.5")]) {
      const r = await call(info, "GET", "/x", { params });
      expect(r.status).toBe(400);
      expect(typeof r.json.error).toBe("string");
    }
    const unknown = await call(info, "GET", "/x", { params: p(1, 5) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unsupported chain 5");
  });

  it("one budget of 300 chain reads a minute per client address, then 429 {error}", async () => {
    const clientIp = "198.51.100.77";
    for (let i = 0; i < 300; i++) expect((await call(info, "GET", "/x", { params: p("bad"), clientIp })).status).toBe(400);
    const r = await call(reputation, "GET", "/x", { params: p(idA), clientIp });
    expect(r.status).toBe(429);
    expect(typeof r.json.error).toBe("string");
    expect((await call(reputation, "GET", "/x", { params: p(idA), clientIp: "198.51.100.78" })).status).toBe(200);
  });

  it("503 \"Service not configured\" for Celo while it is not configured", async () => {
    for (const chainId of [42220, 11142220]) {
      const r = await call(verify, "GET", "/x", { params: p(1, chainId) });
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ error: "Service not configured" });
    }
  });

  it("503 \"Service not configured\" for a registry network without a registry", async () => {
    await syncNetworks(db(), [{ ...network, chainId: 11142220, name: "Celo Sepolia", rpcUrl: "http://127.0.0.1:9", isDevnet: false }]);
    const r = await call(info, "GET", "/x", { params: p(1, 11142220) });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ error: "Service not configured" });
  });

  it("500 \"RPC failure\" when the chain does not answer", async () => {
    await db().network.update({ where: { chainId: 11142220 }, data: { identityRegistry: chain.registry } });
    const r = await call(reputation, "GET", "/x", { params: p(1, 11142220) });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: "RPC failure" });
  });
});

describe("the identity face of a Countersign agent", () => {
  it("GET /api/v1/agents/{id}/identity: not linked, linked by PATCH identifiers.onchain, a mismatching address, an id not on chain, another org 404", async () => {
    const { organizationId, cookie } = await makeUser({ role: "owner" });
    const record = await db().agent.create({ data: { organizationId, name: "Faced", agentAddress: getAddress(agentA) } });
    const get = () => call(identityFace, "GET", `/api/v1/agents/${record.id}/identity`, { params: { id: record.id }, cookie });
    expect((await get()).json).toEqual({ status: "not_linked", identity: null });

    const patched = await call(patchAgent, "PATCH", `/api/v1/agents/${record.id}`, { params: { id: record.id }, cookie, body: { identifiers: { onchain: { chainId: devnet.chainId, agentId: String(idA) } } } });
    expect(patched.status).toBe(200);
    const linked = await get();
    expect(linked.status).toBe(200);
    expect(linked.json).toMatchObject({ status: "registered", identity: { agentId: idA, chainId: devnet.chainId, agentAddress: getAddress(agentA), isVerified: true, strengthLabel: "Standard", humanAgentCount: 2, registry: chain.registry, addressMatches: true } });

    // linked to another agent's id: the face says the address does not match
    await call(patchAgent, "PATCH", `/api/v1/agents/${record.id}`, { params: { id: record.id }, cookie, body: { identifiers: { onchain: { chainId: devnet.chainId, agentId: String(idB) } } } });
    expect((await get()).json.identity.addressMatches).toBe(false);

    await call(patchAgent, "PATCH", `/api/v1/agents/${record.id}`, { params: { id: record.id }, cookie, body: { identifiers: { onchain: { chainId: devnet.chainId, agentId: "999" } } } });
    expect((await get()).json).toEqual({ status: "not_on_chain", identity: null, chainId: devnet.chainId, agentId: "999" });

    const other = await makeUser({ role: "owner" });
    const foreign = await call(identityFace, "GET", `/api/v1/agents/${record.id}/identity`, { params: { id: record.id }, cookie: other.cookie });
    expect(foreign.status).toBe(404);
  });
});
