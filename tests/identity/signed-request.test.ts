/**
 * Signed agent requests (x-self-agent-* headers): fixed test vectors, every rejection reason of the
 * pure check, and the full verifier against a registry on anvil (registration, replay cache in the
 * database, credentials, sameHuman, the platform's signed_agent principal).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { getAddress, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { registerSignedAgentVerifier } from "@/lib/auth/signed-agent";
import { defineRoute } from "@/lib/http/contract";
import { handle } from "@/lib/http/handle";
import { agentRegistryAbi } from "@/lib/identity/abi";
import { registerWithLocalProvider } from "@/lib/identity/local-provider";
import type { IdentityChain } from "@/lib/identity/registry";
import { signRfc9421 } from "@/lib/identity/http-signature";
import { agentRequestDigest, ed25519AgentAddress, signAgentRequest, signAgentRequestEd25519 } from "@/lib/identity/sign";
import { AgentRequestRejectedError, checkSignature, signedAgentFor, verifyAgentRequest, type RejectReason } from "@/lib/identity/verify-request";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

// Fixed vector: anvil's second dev key, RFC 8032 test 1 Ed25519 key.
const EVM_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const;
const ED_SEED = "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60" as const;
const T = 1740000000000;
const VECTOR = { method: "post", url: "https://service.example/api/demo/verify?x=1", body: '{"hello":"world"}', timestamp: T };

async function reason(p: Promise<unknown>): Promise<RejectReason> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AgentRequestRejectedError) return err.reason;
    throw err;
  }
  throw new Error("expected a rejection");
}

const check = (headers: Record<string, string>, over: Partial<{ method: string; path: string; body: string }> = {}, now = T + 1000) =>
  checkSignature(new Headers(headers), { method: over.method ?? "POST", path: over.path ?? "/api/demo/verify?x=1", body: over.body ?? VECTOR.body }, now);

describe("signing vectors", () => {
  it("the digest is keccak256(timestamp + METHOD + path?query + keccak256(body))", () => {
    const bodyHash = `0x${bytesToHex(keccak_256(utf8ToBytes(VECTOR.body)))}`;
    const independent = `0x${bytesToHex(keccak_256(utf8ToBytes(`${T}POST/api/demo/verify?x=1${bodyHash}`)))}`;
    const digest = agentRequestDigest({ timestamp: String(T), method: "post", path: "/api/demo/verify?x=1", body: VECTOR.body });
    expect(digest).toBe(independent);
    expect(digest).toBe("0xbb38fd2c9610857e5040fe438007a460fa3aeb10107ab346b76cd98ff4db83e8");
  });

  it("EVM key: EIP-191 signature over the digest", async () => {
    expect(await signAgentRequest(EVM_KEY, VECTOR)).toEqual({
      "x-self-agent-address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      "x-self-agent-signature":
        "0x99f09bc1029c6f02af84c789d059b8038935a99e000a2adff9706999767571602c2a370708b29f2794b4b2495010f650be16eaea48755023e566b70e50497c561b",
      "x-self-agent-timestamp": "1740000000000",
    });
  });

  it("Ed25519 key: signature over the digest, derived address, key headers", () => {
    expect(signAgentRequestEd25519(ED_SEED, VECTOR)).toEqual({
      "x-self-agent-address": "0xF7CC70ADc63659b5D37671Dc2B588DB32446684A",
      "x-self-agent-signature":
        "0x3de9a1bd59d7bab482f91566268ed0b0ff97121cc61d8af9519144fe73389b879945a457f722c02d3ce6ccb12911e377beef9d2a38be2e3a6b94b645c8d13b03",
      "x-self-agent-timestamp": "1740000000000",
      "x-self-agent-keytype": "ed25519",
      "x-self-agent-key": "0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    });
    expect(ed25519AgentAddress("0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")).toBe("0xF7CC70ADc63659b5D37671Dc2B588DB32446684A");
  });
});

describe("checkSignature (pure)", () => {
  it("accepts the vectors", async () => {
    expect((await check(await signAgentRequest(EVM_KEY, VECTOR))).address).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect((await check(signAgentRequestEd25519(ED_SEED, VECTOR))).keyType).toBe("ed25519");
  });

  it("missing headers", async () => {
    const h = await signAgentRequest(EVM_KEY, VECTOR);
    for (const drop of ["x-self-agent-address", "x-self-agent-signature", "x-self-agent-timestamp"]) {
      const { [drop]: _gone, ...rest } = h;
      expect(await reason(check(rest))).toBe("missing_headers");
    }
    const err = await check({}).catch((e: AgentRequestRejectedError) => e);
    expect(err).toBeInstanceOf(AgentRequestRejectedError);
    expect((err as AgentRequestRejectedError).status).toBe(401);
  });

  it("tampered body, method, path or query", async () => {
    const h = await signAgentRequest(EVM_KEY, VECTOR);
    expect(await reason(check(h, { body: '{"hello":"World"}' }))).toBe("bad_signature");
    expect(await reason(check(h, { method: "PUT" }))).toBe("bad_signature");
    expect(await reason(check(h, { path: "/api/demo/verify?x=2" }))).toBe("bad_signature");
    const ed = signAgentRequestEd25519(ED_SEED, VECTOR);
    expect(await reason(check(ed, { body: "{}" }))).toBe("bad_signature");
  });

  it("a timestamp outside the 5-minute window (a replayed old request) and a malformed one", async () => {
    const h = await signAgentRequest(EVM_KEY, VECTOR);
    expect(await reason(check(h, {}, T + 5 * 60 * 1000 + 1))).toBe("expired_timestamp");
    expect(await reason(check(h, {}, T - 5 * 60 * 1000 - 1))).toBe("expired_timestamp");
    expect((await check(h, {}, T + 5 * 60 * 1000)).address).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(await reason(check({ ...h, "x-self-agent-timestamp": "1740000000000.5" }))).toBe("bad_timestamp");
    // changing the timestamp header breaks the signature
    expect(await reason(check({ ...h, "x-self-agent-timestamp": String(T + 1) }))).toBe("bad_signature");
  });

  it("wrong key: a signature by one key for another agent's address", async () => {
    const other = privateKeyToAccount(generatePrivateKey()).address;
    const h = await signAgentRequest(EVM_KEY, VECTOR);
    expect(await reason(check({ ...h, "x-self-agent-address": other }))).toBe("bad_signature");
    const ed = signAgentRequestEd25519(ED_SEED, VECTOR);
    const otherEd = signAgentRequestEd25519(`0x${"42".repeat(32)}`, VECTOR);
    expect(await reason(check({ ...ed, "x-self-agent-key": otherEd["x-self-agent-key"]! }))).toBe("bad_signature");
    expect(await reason(check({ ...ed, "x-self-agent-signature": otherEd["x-self-agent-signature"]! }))).toBe("bad_signature");
    expect(await reason(check({ ...h, "x-self-agent-signature": "0x1234" }))).toBe("bad_signature");
    expect(await reason(check({ ...h, "x-self-agent-keytype": "rsa" }))).toBe("bad_signature");
  });
});

describe("verifyAgentRequest against the registry", () => {
  let devnet: Devnet;
  let network: Network;
  let chain: IdentityChain;
  const keyA = generatePrivateKey();
  const keyB = generatePrivateKey();
  const keyOther = generatePrivateKey();
  const edSeed = `0x${"07".repeat(32)}` as Hex;
  let idA: number;
  let idB: number;
  let idOther: number;
  const creds = { nationality: "GBR", olderThan: 18, ofac: [false, false, false] as const };
  const meta = { name: "Agent", description: "test", a2aEndpoint: "http://localhost:3000/api/cards/x", mcpEndpoint: "" };

  beforeAll(async () => {
    ({ devnet, network, chain } = await startIdentityDevnet({ maxAgentsPerHuman: 3n }));
    idA = (await registerWithLocalProvider(db(), chain, { nullifier: 1n, agentAddress: privateKeyToAccount(keyA).address, verificationStrength: 2, credentials: creds, metadata: meta })).agentId;
    idB = (await registerWithLocalProvider(db(), chain, { nullifier: 1n, agentAddress: privateKeyToAccount(keyB).address, verificationStrength: 2, credentials: { ...creds, nationality: "FRA", olderThan: 21 }, metadata: meta })).agentId;
    idOther = (await registerWithLocalProvider(db(), chain, { nullifier: 2n, agentAddress: privateKeyToAccount(keyOther).address, verificationStrength: 1, credentials: { nationality: "USA", olderThan: 0, ofac: [false, true, false] }, metadata: meta })).agentId;
    const edPub = signAgentRequestEd25519(edSeed, { method: "GET", url: "/" })["x-self-agent-key"] as Hex;
    await registerWithLocalProvider(db(), chain, { nullifier: 3n, ed25519Key: edPub, verificationStrength: 2, credentials: creds, metadata: meta });
  }, 120_000);

  afterAll(async () => {
    registerSignedAgentVerifier(null);
    await devnet?.stop();
  });

  async function signed(key: Hex, path = "/api/x", body = '{"a":1}', timestamp?: number) {
    const url = `http://localhost:3000${path}`;
    const headers = await signAgentRequest(key, { method: "POST", url, body, ...(timestamp ? { timestamp } : {}) });
    return new Request(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
  }

  it("accepts a registered, verified agent and returns its on-chain record", async () => {
    const v = await verifyAgentRequest(db(), await signed(keyA));
    expect(v.agent.agentId).toBe(idA);
    expect(v.address).toBe(privateKeyToAccount(keyA).address);
    expect(v.chainId).toBe(devnet.chainId);
  });

  it("an Ed25519 agent is found under its derived address", async () => {
    const url = "http://localhost:3000/api/y";
    const req = new Request(url, { method: "GET", headers: signAgentRequestEd25519(edSeed, { method: "GET", url }) });
    const v = await verifyAgentRequest(db(), req);
    expect(v.keyType).toBe("ed25519");
    expect(v.agent.ed25519Key).toBe(req.headers.get("x-self-agent-key"));
  });

  it("RFC 9421 (Signature-Input / Signature, Ed25519) goes through the same checks, replay cache included", async () => {
    const url = "http://localhost:3000/api/rfc9421?q=1";
    const body = '{"n":1}';
    const req = new Request(url, { method: "POST", headers: { ...signRfc9421(edSeed, { method: "POST", url, body }), "content-type": "application/json" }, body });
    const v = await verifyAgentRequest(db(), req.clone());
    expect(v.keyType).toBe("ed25519");
    expect(v.address).toBe(ed25519AgentAddress(signAgentRequestEd25519(edSeed, { method: "GET", url: "/" })["x-self-agent-key"] as Hex));
    expect(await reason(verifyAgentRequest(db(), req.clone()))).toBe("replay");
    const unregistered = new Request(url, { method: "POST", headers: signRfc9421(`0x${"09".repeat(32)}`, { method: "POST", url, body }), body });
    expect(await reason(verifyAgentRequest(db(), unregistered))).toBe("not_registered");
  });

  it("a replay of an accepted request is refused with 409, from the shared database cache", async () => {
    const req = await signed(keyA, "/api/replay");
    await verifyAgentRequest(db(), req.clone());
    const err = await verifyAgentRequest(db(), req.clone()).catch((e: AgentRequestRejectedError) => e);
    expect(err).toBeInstanceOf(AgentRequestRejectedError);
    expect((err as AgentRequestRejectedError).reason).toBe("replay");
    expect((err as AgentRequestRejectedError).status).toBe(409);
    expect(await db().agentRequestReplay.count()).toBeGreaterThan(0);
  });

  it("each accepted request leaves one replay row that expires when its signature window closes", async () => {
    const before = await db().agentRequestReplay.count();
    const timestamp = Date.now() - 1_000;
    await verifyAgentRequest(db(), await signed(keyA, "/api/sweep", '{"a":1}', timestamp));
    expect(await db().agentRequestReplay.count()).toBe(before + 1);
    expect(await db().agentRequestReplay.count({ where: { expiresAt: new Date(timestamp + 5 * 60_000) } })).toBe(1);
  });

  it("an unregistered agent is refused (403 not_registered)", async () => {
    expect(await reason(verifyAgentRequest(db(), await signed(generatePrivateKey())))).toBe("not_registered");
  });

  it("credential requirements: age, OFAC, nationality allow-list", async () => {
    const v = await verifyAgentRequest(db(), await signed(keyB, "/api/c1"), { requirements: { minimumAge: 21, ofacClear: true, nationalities: ["FRA", "DEU"] } });
    expect(v.agent.agentId).toBe(idB);
    expect(await reason(verifyAgentRequest(db(), await signed(keyA, "/api/c2"), { requirements: { minimumAge: 21 } }))).toBe("credentials");
    expect(await reason(verifyAgentRequest(db(), await signed(keyOther, "/api/c3"), { requirements: { ofacClear: true } }))).toBe("credentials");
    expect(await reason(verifyAgentRequest(db(), await signed(keyA, "/api/c4"), { requirements: { nationalities: ["FRA"] } }))).toBe("credentials");
  });

  it("sameHuman: agents of one nullifier pass, another human's do not", async () => {
    expect((await verifyAgentRequest(db(), await signed(keyA, "/api/s1"), { sameHumanAs: idB })).agent.agentId).toBe(idA);
    expect(await reason(verifyAgentRequest(db(), await signed(keyOther, "/api/s2"), { sameHumanAs: idA }))).toBe("not_same_human");
  });

  it("a stale proof is refused when the service asks for freshness", async () => {
    const later = Date.now() + 3600_000;
    const req = await signed(keyA, "/api/fresh", "{}", later);
    expect(await reason(verifyAgentRequest(db(), req, { now: later, maxProofAgeSeconds: 600 }))).toBe("stale_proof");
  });

  it("Sybil limit: when the registry's limit drops below the human's count, the agents are refused", async () => {
    const owner = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey);
    const set = async (n: bigint) => {
      const h = await walletClientFor(network, owner).writeContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "setMaxAgentsPerHuman", args: [n] });
      await publicClientFor(network).waitForTransactionReceipt({ hash: h });
    };
    await set(1n);
    try {
      expect(await reason(verifyAgentRequest(db(), await signed(keyA, "/api/sybil")))).toBe("sybil_limit");
      expect((await verifyAgentRequest(db(), await signed(keyOther, "/api/sybil2"))).agent.agentId).toBe(idOther);
    } finally {
      await set(3n);
    }
  });

  it("a deauthorised provider's agents are no longer verified (403 not_verified)", async () => {
    const owner = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey);
    const provider = (await db().identityProviderKey.findUniqueOrThrow({ where: { name: "local" } })).address as Address;
    const toggle = async (on: boolean) => {
      const h = await walletClientFor(network, owner).writeContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "setProofProvider", args: [provider, on] });
      await publicClientFor(network).waitForTransactionReceipt({ hash: h });
    };
    await toggle(false);
    try {
      expect(await reason(verifyAgentRequest(db(), await signed(keyA, "/api/deauth")))).toBe("not_verified");
    } finally {
      await toggle(true);
    }
  });

  it("as the platform's signed_agent principal: a route sees the agent and its Countersign agent record", async () => {
    const { organizationId } = await makeUser({ role: "owner" });
    const record = await db().agent.create({
      data: { organizationId, name: "Identity agent", onchainChainId: devnet.chainId, onchainAgentId: String(idA), agentAddress: getAddress(privateKeyToAccount(keyA).address) },
    });
    registerSignedAgentVerifier((req) => signedAgentFor(db(), req));
    const contract = defineRoute({
      method: "POST",
      path: "/probe/identity",
      summary: "probe",
      tags: ["Test"],
      auth: ["signedAgent"],
      family: "error",
      body: z.looseObject({}),
      responses: { 200: z.object({ agentId: z.string().nullable(), recordId: z.string().nullable(), organizationId: z.string().nullable() }) },
    });
    const probe = handle(contract, async ({ principal }) => {
      if (principal.type !== "signed_agent") throw new Error("not a signed agent");
      return { status: 200, body: { agentId: principal.agent.agentId, recordId: principal.agent.recordId, organizationId: principal.organizationId } };
    });
    const body = '{"ping":true}';
    const headers = await signAgentRequest(keyA, { method: "POST", url: "http://localhost:3000/probe/identity", body });
    const ok = await call(probe, "POST", "/probe/identity", { headers, rawBody: body });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ agentId: String(idA), recordId: record.id, organizationId });

    const again = await call(probe, "POST", "/probe/identity", { headers, rawBody: body });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "Replay detected" });

    const tampered = await call(probe, "POST", "/probe/identity", { headers: await signAgentRequest(keyA, { method: "POST", url: "http://localhost:3000/probe/identity", body }), rawBody: '{"ping":false}' });
    expect(tampered.status).toBe(401);
    expect(tampered.json).toEqual({ error: "Invalid agent signature" });

    const stranger = await call(probe, "POST", "/probe/identity", { headers: await signAgentRequest(generatePrivateKey(), { method: "POST", url: "http://localhost:3000/probe/identity", body }), rawBody: body });
    expect(stranger.status).toBe(403);
    expect(stranger.json).toEqual({ error: "Agent is not registered" });
  });
});
