/**
 * Seed 003's chain-verify demo (issue #17): the AgentDemoVerifier contract (solc-js, deployed as
 * `npm start` does) and the relay routes, against a real identity registry on anvil — valid
 * meta-transactions (ECDSA and Ed25519), replayed nonces, expired deadlines, wrong signers,
 * unregistered and burned agents, the 3-per-hour budget of a human, the routes' contracts.
 */
import Ajv from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bytesToHex, hexToBytes, parseEventLogs, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { registerSignedAgentVerifier } from "@/lib/auth/signed-agent";
import { deregisterWithLocalProvider, registerWithLocalProvider } from "@/lib/identity/local-provider";
import type { IdentityChain } from "@/lib/identity/registry";
import { ed25519AgentAddress, signAgentRequest, signAgentRequestEd25519 } from "@/lib/identity/sign";
import { signedAgentFor } from "@/lib/identity/verify-request";
import { compileDemoVerifier } from "@/lib/demo/compile";
import { demoVerifierAbi } from "@/lib/demo/verifier-abi";
import { setUpDevnetDemoVerifier } from "@/lib/demo/verifier-setup";
import { CHAIN_VERIFY_LIMIT, metaVerifyEd25519Digest, metaVerifyTypedData, relayerAddress } from "@/lib/demo/chain-verify";
import { demoChainVerify, demoChainVerifyEd25519 } from "@/lib/api/demo";
import { allContracts } from "@/lib/api";
import { buildOpenApi } from "@/lib/http/openapi";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { POST as chainVerify } from "@/app/api/demo/chain-verify/route";
import { POST as chainVerifyEd25519 } from "@/app/api/demo/chain-verify-ed25519/route";
import { useTestDatabase } from "../helpers/db";
import { call, ORIGIN } from "../helpers/http";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
let verifier: Address;
type EvmAgent = { key: Hex; address: Address; agentId: number; nullifier: bigint };
type EdAgent = { seed: Hex; publicKey: Hex; address: Address; agentId: number; nullifier: bigint };
const evm: Record<"a" | "b" | "budget" | "burned", EvmAgent> = {} as never;
let ed: EdAgent;

const metadata = { name: "test agent", description: "", a2aEndpoint: "", mcpEndpoint: "" };
const credentials = { nationality: "GBR", olderThan: 18, ofac: [false, false, false] as const };

async function registerEvm(nullifier: bigint): Promise<EvmAgent> {
  const key = generatePrivateKey();
  const address = privateKeyToAccount(key).address;
  const { agentId } = await registerWithLocalProvider(db(), chain, { nullifier, agentAddress: address, verificationStrength: 2, credentials, metadata });
  return { key, address, agentId, nullifier };
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

beforeAll(async () => {
  let owner: PrivateKeyAccount;
  ({ devnet, network, chain, owner } = await startIdentityDevnet());
  verifier = (await setUpDevnetDemoVerifier(db(), network, owner)).verifier;
  evm.a = await registerEvm(201n);
  evm.b = await registerEvm(202n);
  evm.budget = await registerEvm(203n);
  evm.burned = await registerEvm(204n);
  const seed = bytesToHex(ed25519.utils.randomSecretKey());
  const publicKey = bytesToHex(ed25519.getPublicKey(hexToBytes(seed)));
  const r = await registerWithLocalProvider(db(), chain, { nullifier: 205n, ed25519Key: publicKey, verificationStrength: 2, credentials, metadata });
  ed = { seed, publicKey, address: ed25519AgentAddress(publicKey), agentId: r.agentId, nullifier: 205n };
  registerSignedAgentVerifier((req) => signedAgentFor(db(), req));
}, 240_000);

afterAll(async () => {
  registerSignedAgentVerifier(null);
  await devnet?.stop();
});

const read = <T>(functionName: string, args: readonly unknown[] = []) =>
  publicClientFor(network).readContract({ address: verifier, abi: demoVerifierAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

async function signMeta(agent: EvmAgent, nonce: bigint, deadline: number, signer: Hex = agent.key): Promise<Hex> {
  const typed = metaVerifyTypedData({ chainId: devnet.chainId, verifier, agentKey: agent.address, nonce, deadline: BigInt(deadline) });
  return privateKeyToAccount(signer).signTypedData(typed as never);
}

/** A request signed (x-self-agent-* headers) by `who`. */
async function post(path: string, who: EvmAgent | EdAgent, body: unknown) {
  const raw = JSON.stringify(body);
  const handler = path.endsWith("ed25519") ? chainVerifyEd25519 : chainVerify;
  const headers = "key" in who ? await signAgentRequest(who.key, { method: "POST", url: `${ORIGIN}${path}`, body: raw }) : signAgentRequestEd25519(who.seed, { method: "POST", url: `${ORIGIN}${path}`, body: raw });
  return call(handler, "POST", path, { rawBody: raw, headers });
}

const errorBody = (r: { json: unknown }) => ERROR_SCHEMAS.error.parse(r.json);

describe("the AgentDemoVerifier contract", () => {
  it("the committed ABI is the compiled contract's; a second set-up keeps the deployed verifier", async () => {
    expect(JSON.parse(JSON.stringify(demoVerifierAbi))).toEqual(compileDemoVerifier().abi);
    const again = await setUpDevnetDemoVerifier(db(), network, privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey));
    expect(again).toEqual({ verifier, deployed: false, relayer: await relayerAddress(db()) });
    expect((await db().network.findUniqueOrThrow({ where: { chainId: devnet.chainId } })).demoVerifier).toBe(verifier);
    expect(await read<boolean>("isAttester", [await relayerAddress(db())])).toBe(true);
  });

  it("the EIP-712 digests computed here are the contract's", async () => {
    const deadline = 1740001800n;
    const typed = metaVerifyTypedData({ chainId: devnet.chainId, verifier, agentKey: evm.a.address, nonce: 7n, deadline });
    const { hashTypedData } = await import("viem");
    expect(await read<Hex>("metaVerifyDigest", [evm.a.address, 7n, deadline])).toBe(hashTypedData(typed as never));
    expect(await read<Hex>("metaVerifyEd25519Digest", [ed.publicKey, 7n, deadline])).toBe(metaVerifyEd25519Digest({ chainId: devnet.chainId, verifier, agentKey: ed.publicKey, nonce: 7n, deadline }));
  });

  it("refuses an unregistered agent's valid signature (NotVerifiedAgent), and attestations from anyone but an attester", async () => {
    const key = generatePrivateKey();
    const stranger = { key, address: privateKeyToAccount(key).address, agentId: 0, nullifier: 0n };
    const sig = await signMeta(stranger, 0n, inAnHour());
    const anyone = privateKeyToAccount(devnet.fundedAccounts[1]!.privateKey);
    const client = publicClientFor(network);
    await expect(client.simulateContract({ account: anyone, address: verifier, abi: demoVerifierAbi, functionName: "metaVerifyAgent", args: [stranger.address, 0n, BigInt(inAnHour()), sig] })).rejects.toThrow(/NotVerifiedAgent/);
    await expect(client.simulateContract({ account: anyone, address: verifier, abi: demoVerifierAbi, functionName: "attestEd25519Verification", args: [ed.publicKey, 0n, BigInt(inAnHour())] })).rejects.toThrow(/NotAttester/);
  });

  it("anyone may relay a valid signature (the contract, not the server, checks it): event, counters, next nonce", async () => {
    const anyone = privateKeyToAccount(devnet.fundedAccounts[2]!.privateKey);
    const sig = await signMeta(evm.b, 0n, inAnHour());
    const hash = await walletClientFor(network, anyone).writeContract({ address: verifier, abi: demoVerifierAbi, functionName: "metaVerifyAgent", args: [evm.b.address, 0n, BigInt(inAnHour()), sig], chain: undefined });
    const receipt = await publicClientFor(network).waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: demoVerifierAbi, eventName: "AgentVerified", logs: receipt.logs });
    expect(event!.args).toMatchObject({ agent: evm.b.address, agentId: BigInt(evm.b.agentId), nonce: 0n, relayer: anyone.address, ed25519: false, verificationCount: 1n });
    expect(await read<bigint>("nonces", [evm.b.address])).toBe(1n);
  });
});

describe("POST /api/demo/chain-verify", () => {
  const path = "/api/demo/chain-verify";

  it("relays a valid meta-transaction: mined, recorded by the contract, the seed's body validated by the contract and the OpenAPI document", async () => {
    const deadline = inAnHour();
    const body = { agentKey: evm.a.address, nonce: "0", deadline, eip712Signature: await signMeta(evm.a, 0n, deadline), networkId: "celo-sepolia" };
    const r = await post(path, evm.a, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      verified: true,
      chainId: devnet.chainId,
      verifier,
      relayer: await relayerAddress(db()),
      agentAddress: evm.a.address,
      agentId: evm.a.agentId,
      keyType: "ecdsa",
      nonce: "0",
      verificationCount: "1",
      rateLimitRemaining: 2,
      credentials: { nationality: "GBR", olderThan: 18 },
    });
    demoChainVerify.responses[200].parse(r.json);
    const receipt = await publicClientFor(network).getTransactionReceipt({ hash: r.json.txHash });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe((await relayerAddress(db())).toLowerCase());
    expect(await read<bigint>("verificationCount", [evm.a.address])).toBe(1n);
    expect(await read<bigint>("nonces", [evm.a.address])).toBe(1n);
    expect(BigInt(r.json.totalVerifications)).toBe(await read<bigint>("totalVerifications"));

    // ajv against the served OpenAPI document
    const doc = buildOpenApi(allContracts, { version: "test" }) as any;
    const op = doc.paths[path].post;
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const withComponents = (schema: object) => {
      const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
      return { ...rest, components: doc.components };
    };
    expect(ajv.validate(withComponents(op.responses["200"].content["application/json"].schema), r.json), ajv.errorsText()).toBe(true);
    expect(ajv.validate(withComponents(op.requestBody.content["application/json"].schema), { agentKey: "0x" + "ab".repeat(20), nonce: "0", deadline: 1740001800, eip712Signature: "0x" + "cd".repeat(65), networkId: "celo-sepolia" }), ajv.errorsText()).toBe(true);
  });

  it("a replayed nonce is refused by the contract (409), and nothing is relayed", async () => {
    const deadline = inAnHour();
    const body = { agentKey: evm.a.address, nonce: "0", deadline, eip712Signature: await signMeta(evm.a, 0n, deadline) };
    const before = await read<bigint>("totalVerifications");
    const r = await post(path, evm.a, body);
    expect(r.status).toBe(409);
    expect(errorBody(r)).toEqual({ error: "Contract rejected: invalid nonce (replay or out of order)" });
    expect(await read<bigint>("totalVerifications")).toBe(before);
  });

  it("an expired deadline is refused (400)", async () => {
    const deadline = Math.floor(Date.now() / 1000) - 3600;
    const r = await post(path, evm.a, { agentKey: evm.a.address, nonce: 1, deadline, eip712Signature: await signMeta(evm.a, 1n, deadline) });
    expect(r.status).toBe(400);
    expect(errorBody(r)).toEqual({ error: "Contract rejected: meta-transaction deadline expired" });
  });

  it("a signature by another key is refused (403); so is an agent key that is not the signed caller's", async () => {
    const deadline = inAnHour();
    const wrong = await post(path, evm.a, { agentKey: evm.a.address, nonce: "1", deadline, eip712Signature: await signMeta(evm.a, 1n, deadline, evm.b.key) });
    expect(wrong.status).toBe(403);
    expect(errorBody(wrong)).toEqual({ error: "Contract rejected: EIP-712 signature invalid — signer does not match agent key" });
    const other = await post(path, evm.a, { agentKey: evm.b.address, nonce: "1", deadline, eip712Signature: await signMeta(evm.b, 1n, deadline) });
    expect(other.status).toBe(403);
    expect(errorBody(other)).toEqual({ error: "Agent key does not match the signing agent" });
    expect(await read<bigint>("nonces", [evm.a.address])).toBe(1n);
  });

  it("an unregistered caller and a burned agent are refused (403) before anything is relayed", async () => {
    const key = generatePrivateKey();
    const stranger = { key, address: privateKeyToAccount(key).address, agentId: 0, nullifier: 0n };
    const deadline = inAnHour();
    const s = await post(path, stranger, { agentKey: stranger.address, nonce: "0", deadline, eip712Signature: await signMeta(stranger, 0n, deadline) });
    expect(s.status).toBe(403);

    const sig = await signMeta(evm.burned, 0n, deadline);
    await deregisterWithLocalProvider(db(), chain, evm.burned.agentId, evm.burned.nullifier);
    const burned = await post(path, evm.burned, { agentKey: evm.burned.address, nonce: "0", deadline, eip712Signature: sig });
    expect(burned.status).toBe(403);
    // and the contract itself refuses the burned agent's valid signature
    const anyone = privateKeyToAccount(devnet.fundedAccounts[1]!.privateKey);
    await expect(publicClientFor(network).simulateContract({ account: anyone, address: verifier, abi: demoVerifierAbi, functionName: "metaVerifyAgent", args: [evm.burned.address, 0n, BigInt(deadline), sig] })).rejects.toThrow(/NotVerifiedAgent/);
  });

  it("bad input is a 400 in the seed's error body; unsigned is 401", async () => {
    const deadline = inAnHour();
    const good = { agentKey: evm.a.address, nonce: "1", deadline, eip712Signature: await signMeta(evm.a, 1n, deadline) };
    for (const bad of [
      {},
      { ...good, agentKey: "0x1234" },
      { ...good, nonce: "-1" },
      { ...good, nonce: "abc" },
      { ...good, deadline: "soon" },
      { ...good, eip712Signature: "0xzz" },
      { ...good, extra: true },
      { ...good, networkId: "celo-atlantis" },
      { ...good, networkId: 5 },
    ]) {
      const r = await post(path, evm.a, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(typeof errorBody(r).error).toBe("string");
    }
    const unsigned = await call(chainVerify, "POST", path, { body: good });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json).toEqual({ error: "Missing agent authentication headers" });
    const unknownChain = await post(path, evm.a, { ...good, networkId: "424242" });
    expect(unknownChain.status).toBe(400);
    expect(unknownChain.json).toMatchObject({ error: "Unsupported chain 424242", violations: [{ field: "body.networkId" }] });
    expect(await read<bigint>("nonces", [evm.a.address])).toBe(1n);
  });

  it("a human gets 3 relays an hour: the 4th is refused with 429 and Retry-After, and not sent", async () => {
    // Start at a fresh hour, so that the four calls share one fixed window (Date only is moved forward).
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 100);
    try {
      for (let n = 0; n < 3; n++) {
        const deadline = inAnHour();
        const r = await post(path, evm.budget, { agentKey: evm.budget.address, nonce: String(n), deadline, eip712Signature: await signMeta(evm.budget, BigInt(n), deadline) });
        expect(r.status, `relay ${n}: ${JSON.stringify(r.json)}`).toBe(200);
        expect(r.json.rateLimitRemaining).toBe(2 - n);
      }
      const deadline = inAnHour();
      const fourth = await post(path, evm.budget, { agentKey: evm.budget.address, nonce: "3", deadline, eip712Signature: await signMeta(evm.budget, 3n, deadline) });
      expect(fourth.status).toBe(429);
      expect(fourth.json).toEqual({ error: CHAIN_VERIFY_LIMIT.message });
      expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await read<bigint>("nonces", [evm.budget.address])).toBe(3n);
      // another human's agent still gets through
      const d2 = inAnHour();
      expect((await post(path, evm.b, { agentKey: evm.b.address, nonce: "1", deadline: d2, eip712Signature: await signMeta(evm.b, 1n, d2) })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("POST /api/demo/chain-verify-ed25519", () => {
  const path = "/api/demo/chain-verify-ed25519";
  const edSign = (nonce: bigint, deadline: number, seed: Hex = ed.seed) =>
    bytesToHex(ed25519.sign(hexToBytes(metaVerifyEd25519Digest({ chainId: devnet.chainId, verifier, agentKey: ed.publicKey, nonce, deadline: BigInt(deadline) })), hexToBytes(seed)));

  it("relays a valid Ed25519-signed meta-transaction as the verifier's attester", async () => {
    const deadline = inAnHour();
    const r = await post(path, ed, { agentKey: ed.publicKey, nonce: "0", deadline, eip712Signature: edSign(0n, deadline) });
    expect(r.status).toBe(200);
    demoChainVerifyEd25519.responses[200].parse(r.json);
    expect(r.json).toMatchObject({ verified: true, agentAddress: ed.address, agentId: ed.agentId, keyType: "ed25519", nonce: "0", verificationCount: "1", rateLimitRemaining: 2 });
    const receipt = await publicClientFor(network).getTransactionReceipt({ hash: r.json.txHash });
    const [event] = parseEventLogs({ abi: demoVerifierAbi, eventName: "AgentVerified", logs: receipt.logs });
    expect(event!.args).toMatchObject({ agent: ed.address, ed25519: true, relayer: await relayerAddress(db()) });
  });

  it("refuses a replayed nonce (409), an expired deadline (400), a signature by another key (403), an EVM key (400)", async () => {
    const deadline = inAnHour();
    const replay = await post(path, ed, { agentKey: ed.publicKey, nonce: "0", deadline, eip712Signature: edSign(0n, deadline) });
    expect(replay.status).toBe(409);
    expect(replay.json).toEqual({ error: "Contract rejected: invalid nonce (replay or out of order)" });
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await post(path, ed, { agentKey: ed.publicKey, nonce: "1", deadline: past, eip712Signature: edSign(1n, past) });
    expect(expired.status).toBe(400);
    expect(expired.json).toEqual({ error: "Contract rejected: meta-transaction deadline expired" });
    const wrong = await post(path, ed, { agentKey: ed.publicKey, nonce: "1", deadline, eip712Signature: edSign(1n, deadline, bytesToHex(ed25519.utils.randomSecretKey())) });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ error: "Ed25519 signature invalid — signature does not match agent key" });
    const tampered = await post(path, ed, { agentKey: ed.publicKey, nonce: "2", deadline, eip712Signature: edSign(1n, deadline) });
    expect(tampered.status).toBe(403);
    expect((await post(path, ed, { agentKey: evm.a.address, nonce: "1", deadline, eip712Signature: edSign(1n, deadline) })).status).toBe(400);
    expect(await read<bigint>("nonces", [ed.address])).toBe(1n);
  });

  it("an EVM agent naming an Ed25519 key that is not its own is refused (403)", async () => {
    const deadline = inAnHour();
    const r = await post(path, evm.a, { agentKey: ed.publicKey, nonce: "1", deadline, eip712Signature: edSign(1n, deadline) });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error: "Agent key does not match the signing agent" });
  });
});

describe("countersign identity meta-verify (the Demo page's commands)", () => {
  it("prints a body the routes relay, for an EVM and an Ed25519 key; refuses missing flags", async () => {
    const { cli, removeTempHomes, tempHome } = await import("../sdk/cli-harness");
    try {
      const home = await tempHome();
      const a = await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: evm.a.key } })("identity", "meta-verify", "--verifier", verifier, "--chain-id", String(devnet.chainId), "--nonce", "1");
      expect(a.code, a.stderr).toBe(0);
      const body = JSON.parse(a.stdout);
      expect(body).toMatchObject({ agentKey: evm.a.address, nonce: "1", deadline: expect.any(Number) });
      const r = await post("/api/demo/chain-verify", evm.a, body);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ agentId: evm.a.agentId, nonce: "1", verificationCount: "2" });

      const e = await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: ed.seed } })("identity", "meta-verify", "--ed25519", "--verifier", verifier, "--chain-id", String(devnet.chainId), "--nonce", "1", "--network-id", "celo-sepolia");
      expect(e.code, e.stderr).toBe(0);
      const edBody = JSON.parse(e.stdout);
      expect(edBody).toMatchObject({ agentKey: ed.publicKey, networkId: "celo-sepolia" });
      const er = await post("/api/demo/chain-verify-ed25519", ed, edBody);
      expect(er.status).toBe(200);
      expect(er.json).toMatchObject({ agentId: ed.agentId, keyType: "ed25519", nonce: "1" });

      expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: evm.a.key } })("identity", "meta-verify", "--chain-id", "1")).code).toBe(2);
      expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: evm.a.key } })("identity", "meta-verify", "--verifier", verifier)).code).toBe(2);
      expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: evm.a.key } })("identity", "meta-verify", "--verifier", verifier, "--chain-id", "1", "--nonce", "x")).code).toBe(2);
    } finally {
      await removeTempHomes();
    }
  });
});
