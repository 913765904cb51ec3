/**
 * Seed 003's smartwallet registration mode end to end, on anvil with the real Alto bundler as `npm
 * start` sets them up: the session derives the passkey's counterfactual account, the mock passport's
 * proof makes the provider attest the registration (EIP-712, checked by the registry), and the account
 * submits it as its first, sponsored UserOperation through /api/aa/bundler — the token is the
 * account's. Also the registry's attested path directly (wrong sender, expired, replayed, not a
 * provider), the mode's 400s and 503, and a session whose attestation expires.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeFunctionData, numberToHex, toFunctionSelector, type Address, type Hex } from "viem";
import { createBundlerClient } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { resetEnvCache } from "@/lib/config/env";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { passkeyAccountFactoryAbi } from "@/lib/aa/abi";
import { passkeyCoordinates, toPasskeyAccount } from "@/lib/aa/passkey-account";
import { agentRegistryAbi } from "@/lib/identity/abi";
import { setUpDevnetIdentity } from "@/lib/identity/devnet";
import { registrationStruct, type RegistrationInput } from "@/lib/identity/local-provider";
import { identityChain, readAgent, type IdentityChain } from "@/lib/identity/registry";
import { ATTESTATION_EXPIRED, attestRegistration } from "@/lib/identity/smartwallet";
import { POST as register } from "@/app/api/agent/register/route";
import { GET as registerStatus } from "@/app/api/agent/register/status/route";
import { POST as registerCallback } from "@/app/api/agent/register/callback/route";
import { GET as registerExport } from "@/app/api/agent/register/export/route";
import { POST as scan } from "@/app/api/v1/identity/mock-passport/route";
import { POST as scanChallenge } from "@/app/api/v1/identity/mock-passport/challenge/route";
import { POST as startVerification } from "@/app/api/v1/agents/[id]/identity/sessions/route";
import { startAaDevnet, type AaDevnet } from "../helpers/aa-devnet";
import { aaProxyTransports } from "../helpers/aa-proxy";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";
import { softwarePasskey, type SoftwarePasskey } from "../helpers/software-passkey";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
let aa: AaDevnet["aa"];
let bundler: AaDevnet["bundler"];
let provider: Address;
type Member = { cookie: string; organizationId: string; user: { id: string }; authenticator: SoftAuthenticator };
let member: Member;

let env: AaDevnet;

beforeAll(async () => {
  env = await startAaDevnet(async (net, dn) => {
    provider = (await setUpDevnetIdentity(db(), net, privateKeyToAccount(dn.fundedAccounts[0]!.privateKey))).provider;
  });
  ({ devnet, network, aa, bundler } = env);
  chain = await identityChain(db(), network.chainId);
  const u = await makeUser({ role: "owner" });
  const authenticator = new SoftAuthenticator();
  await authenticator.register(u.user.id);
  member = { ...u, authenticator };
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

beforeEach(async () => {
  await db().rateLimitBucket.deleteMany({});
});

const q = (token: string) => ({ query: { token } });
let docCounter = 0;
const freshHuman = () => ({ type: "passport", nationality: "NLD", dateOfBirth: "1991-02-03", documentNumber: `SW${String(++docCounter).padStart(4, "0")}X${Date.now() % 1e6}`, ofacListed: false });
const disclosures = { minimumAge: 18, ofac: true, nationality: true };

/** The mock passport's scan (the member confirms with their passkey) and the provider's callback. */
async function proveHuman(token: string) {
  const ch = await call(scanChallenge, "POST", "/x", { cookie: member.cookie, body: { token } });
  expect(ch.status).toBe(200);
  const header = assertionHeader(ch.json.challengeId, member.authenticator.assert(ch.json.options.challenge));
  const s = await call(scan, "POST", "/x", { cookie: member.cookie, headers: { "x-countersign-assertion": header }, body: { token, document: freshHuman() } });
  expect(s.status).toBe(200);
  return call(registerCallback, "POST", "/x", { ...q(token), body: s.json.proof });
}

function bundlerFor(passkey: SoftwarePasskey, proxy: Awaited<ReturnType<typeof aaProxyTransports>>) {
  const client = publicClientFor(network);
  return toPasskeyAccount({ client, owner: passkey.account, factoryAddress: aa.passkeyFactory, entryPointAddress: aa.entryPoint }).then((account) => ({
    account,
    bundlerClient: createBundlerClient({ account, client, paymaster: proxy.paymaster, transport: proxy.bundler }),
  }));
}

const status = async (token: string) => (await call(registerStatus, "GET", "/x", q(token))).json;

describe("POST /api/agent/register, mode smartwallet", () => {
  it("the passkey's account holds the token: attested after the proof, registered by the account's first UserOperation through the bundler", async () => {
    const passkey = softwarePasskey();
    const { qx, qy } = passkeyCoordinates(passkey.credential.publicKey);
    const c = publicClientFor(network);
    const expected = await c.readContract({ address: aa.passkeyFactory, abi: passkeyAccountFactoryAbi, functionName: "getAddress", args: [qx, qy, 0n] });

    const r = await call(register, "POST", "/api/agent/register", { body: { mode: "smartwallet", network: "testnet", passkeyPublicKey: passkey.credential.publicKey, disclosures } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mode: "smartwallet", humanAddress: expected, smartWallet: { account: expected, entryPoint: aa.entryPoint, factory: aa.passkeyFactory } });
    expect(r.json.smartWallet.call).toBeUndefined();
    const token = r.json.sessionToken as string;
    const agentAddress = r.json.agentAddress as Address;

    const cb = await proveHuman(token);
    expect(cb.status).toBe(200);
    expect(cb.json).toMatchObject({ stage: "proof-received", humanAddress: expected, smartWallet: { account: expected, call: { to: chain.registry } } });
    const { call: registration, deadline } = cb.json.smartWallet as { call: { to: Address; data: Hex }; deadline: number };
    expect(deadline).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expect(cb.json.agentId).toBeUndefined();
    expect((await status(token)).stage).toBe("proof-received");

    // Nobody but the account may submit it: the registry refuses another sender.
    const stranger = privateKeyToAccount(devnet.fundedAccounts[3]!.privateKey);
    const decoded = decodeFunctionData({ abi: agentRegistryAbi, data: registration.data });
    await expect(c.simulateContract({ account: stranger, address: registration.to, abi: agentRegistryAbi, functionName: "registerAgentWithAttestation", args: decoded.args as never })).rejects.toThrow(/NotHumanAccount/);

    const proxy = await aaProxyTransports(devnet.chainId, member.cookie);
    const { account, bundlerClient } = await bundlerFor(passkey, proxy);
    expect(account.address).toBe(expected);
    const hash = await bundlerClient.sendUserOperation({ calls: [{ to: registration.to, data: registration.data, value: 0n }] });
    const receipt = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 120_000, pollingInterval: 500 });
    expect(receipt.success).toBe(true);

    const done = await status(token);
    expect(done).toMatchObject({ stage: "completed", agentAddress, humanAddress: expected, txHash: receipt.receipt.transactionHash });
    const agentId = done.agentId as number;
    expect(await c.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "ownerOf", args: [BigInt(agentId)] })).toBe(expected);
    const onchain = await readAgent(chain, agentId);
    expect(onchain).toMatchObject({ agentAddress, humanAddress: expected, proofProvider: provider, providerAuthorised: true });
    expect(onchain.credentials.nationality).toBe("NLD");

    // The generated agent key is exported once, as in the other key modes.
    const key = await call(registerExport, "GET", "/x", q(token));
    expect(key.status).toBe(200);
    expect(privateKeyToAccount(key.json.privateKey).address).toBe(agentAddress);

    // The same attestation again (the account replays its call): the bundler's simulation meets the
    // registry's AttestationUsed() and nothing is sent.
    await expect(bundlerClient.sendUserOperation({ calls: [{ to: registration.to, data: registration.data, value: 0n }] })).rejects.toThrow(new RegExp(toFunctionSelector("AttestationUsed()")));
    expect(await c.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "balanceOf", args: [expected] })).toBe(1n);
  }, 300_000);

  it("the dashboard's Verify with a passkey wallet: the agent record's session, linked once the account registered it", async () => {
    const record = await db().agent.create({ data: { organizationId: member.organizationId, name: "Passkey bot", agentAddress: null } });
    const passkey = softwarePasskey();
    const s = await call(startVerification, "POST", "/x", { params: { id: record.id }, cookie: member.cookie, body: { network: "testnet", mode: "smartwallet", passkeyPublicKey: passkey.credential.publicKey } });
    expect(s.status).toBe(201);
    expect(s.json.mode).toBe("smartwallet");
    const cb = await proveHuman(s.json.sessionToken);
    expect(cb.json.stage).toBe("proof-received");
    const { bundlerClient } = await bundlerFor(passkey, await aaProxyTransports(devnet.chainId, member.cookie));
    const registration = cb.json.smartWallet.call as { to: Address; data: Hex };
    const receipt = await bundlerClient.waitForUserOperationReceipt({ hash: await bundlerClient.sendUserOperation({ calls: [{ ...registration, value: 0n }] }), timeout: 120_000, pollingInterval: 500 });
    expect(receipt.success).toBe(true);
    const done = await status(s.json.sessionToken);
    expect(done.stage).toBe("completed");
    const linked = await db().agent.findUniqueOrThrow({ where: { id: record.id } });
    expect(linked).toMatchObject({ onchainChainId: devnet.chainId, onchainAgentId: String(done.agentId), agentAddress: s.json.agentAddress });
  }, 300_000);

  it("400 without a passkey, for a passkey in another mode, a malformed key, or a humanAddress that is not the passkey's account; 503 where no bundler serves the chain", async () => {
    const passkey = softwarePasskey();
    const bad = async (body: object) => {
      const r = await call(register, "POST", "/api/agent/register", { body: { network: "testnet", ...body } });
      expect(r.status).toBe(400);
      return r.json.error as string;
    };
    expect(await bad({ mode: "smartwallet" })).toBe("passkeyPublicKey is required for mode smartwallet");
    expect(await bad({ mode: "wallet-free", passkeyPublicKey: passkey.credential.publicKey })).toBe("passkeyPublicKey is not used in mode wallet-free");
    await bad({ mode: "smartwallet", passkeyPublicKey: "0x1234" });
    expect(await bad({ mode: "smartwallet", passkeyPublicKey: passkey.credential.publicKey, humanAddress: privateKeyToAccount(generatePrivateKey()).address })).toBe("humanAddress is not the passkey's smart account");

    delete process.env.BUNDLER_RPC_URL;
    resetEnvCache();
    try {
      const r = await call(register, "POST", "/api/agent/register", { body: { mode: "smartwallet", network: "testnet", passkeyPublicKey: passkey.credential.publicKey } });
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ error: "Service not configured" });
    } finally {
      process.env.BUNDLER_RPC_URL = bundler.rpcUrl;
      resetEnvCache();
    }
  });
});

describe("the registry's attested registration (registerAgentWithAttestation)", () => {
  const input = (humanAddress: Address): RegistrationInput => ({
    nullifier: BigInt(Date.now()) * 1000n + BigInt(++docCounter),
    agentAddress: privateKeyToAccount(generatePrivateKey()).address,
    humanAddress,
    verificationStrength: 2,
    credentials: { nationality: "DEU", olderThan: 18, ofac: [false, false, false] },
    metadata: { name: "Attested", description: "x", a2aEndpoint: "", mcpEndpoint: "" },
  });
  const human = () => privateKeyToAccount(devnet.fundedAccounts[4]!.privateKey);
  const send = (data: Hex) => walletClientFor(network, human()).sendTransaction({ to: chain.registry, data, gas: 1_500_000n });
  /** Simulates the call from the human's address: the registry's custom error, by name. */
  const reverted = async (data: Hex, error: RegExp) => {
    const { functionName, args } = decodeFunctionData({ abi: agentRegistryAbi, data });
    await expect(publicClientFor(network).simulateContract({ account: human(), address: chain.registry, abi: agentRegistryAbi, functionName: functionName as "registerAgentWithAttestation", args: args as never })).rejects.toThrow(error);
  };

  it("registers once from the human's own address with the provider's signature; refuses a replay, a past deadline, another signer and a registration for someone else", async () => {
    const c = publicClientFor(network);
    const now = Number((await c.getBlock()).timestamp);
    const r = input(human().address);
    const ok = await attestRegistration(db(), chain, r, now + 600, "local");
    const receipt = await c.waitForTransactionReceipt({ hash: await send(ok.call.data) });
    expect(receipt.status).toBe("success");
    await reverted(ok.call.data, /AttestationUsed/);

    const expired = await attestRegistration(db(), chain, input(human().address), now - 1, "local");
    await reverted(expired.call.data, /AttestationExpired/);

    // Signed by a key the registry never authorised.
    const impostor = await attestRegistration(db(), chain, input(human().address), now + 600, "not-a-provider");
    await reverted(impostor.call.data, /NotProofProvider/);

    // A registration naming another human: only that address may submit it.
    const other = await attestRegistration(db(), chain, input(privateKeyToAccount(generatePrivateKey()).address), now + 600, "local");
    await reverted(other.call.data, /NotHumanAccount/);
    expect(registrationStruct(r).humanAddress).toBe(human().address);
  });
});

describe("a smartwallet session whose attestation expires", () => {
  it("fails once the chain's time passes the deadline without the registration, and erases the generated key", async () => {
    const passkey = softwarePasskey();
    const r = await call(register, "POST", "/api/agent/register", { body: { mode: "smartwallet", network: "testnet", passkeyPublicKey: passkey.credential.publicKey } });
    const token = r.json.sessionToken as string;
    expect((await proveHuman(token)).json.stage).toBe("proof-received");
    const c = publicClientFor(network);
    await c.request({ method: "evm_increaseTime" as never, params: [numberToHex(31 * 60)] as never });
    await c.request({ method: "evm_mine" as never, params: [] as never });
    const s = await status(token);
    expect(s).toMatchObject({ stage: "failed", error: ATTESTATION_EXPIRED });
    const row = await db().identitySession.findFirstOrThrow({ where: { agentAddress: r.json.agentAddress } });
    expect(row.sealedAgentKey).toBeNull();
  });
});
