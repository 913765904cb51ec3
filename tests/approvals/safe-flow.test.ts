import { createECDH, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, erc20Abi, getAddress, parseEther, parseUnits, type Abi, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { deploySafeContracts } from "@/lib/safe/deploy";
import { canonicalSafeAddresses } from "@/lib/safe/contracts-v150";
import { safeAbi } from "@/lib/safe/account";
import { issueCredential } from "@/lib/auth/credentials";
import { AGENT_SUBJECT } from "@/lib/approvals/agents";
import { GET as pairingInfo } from "@/app/api/pairing-info/route";
import { POST as createDraft } from "@/app/api/drafts/route";
import { GET as listRequests, POST as submitRequest } from "@/app/api/requests/route";
import { GET as getRequest } from "@/app/api/requests/[id]/route";
import { GET as listNotifications } from "@/app/api/notifications/route";
import { GET as getNotification } from "@/app/api/notifications/[id]/route";
import { POST as respond } from "@/app/api/responses/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { GET as getSettings, PATCH as patchSettings } from "@/app/api/v1/approvals/settings/route";
import { GET as listAgents, POST as pairAgent } from "@/app/api/v1/approvals/agents/route";
import { POST as registerDevice } from "@/app/api/devices/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";
import { expectSeed } from "./seed-schemas";

useTestDatabase();

const R = {
  pairing: "GET /api/pairing-info",
  draft: "POST /api/drafts",
  submit: "POST /api/requests",
  list: "GET /api/requests",
  get: "GET /api/requests/:id",
  notifications: "GET /api/notifications",
  notification: "GET /api/notifications/:id",
  respond: "POST /api/responses",
};

let devnet: Devnet;
let network: Network;
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let agent: PrivateKeyAccount;
let agentToken: string;
let outsiderToken: string;
let safeAddress: Address;
let deviceId: string;
let token: Address;
const recipient = privateKeyToAccount(generatePrivateKey()).address;
const authenticator = new SoftAuthenticator();

const client = () => publicClientFor(network);
const ethTransfer = (value: bigint) => ({ chainId: 31337, to: recipient, data: "0x", value: value.toString() });
const tokenTransfer = (amount: bigint) => ({ chainId: 31337, to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [recipient, amount] }), value: "0" });

async function draft(actions: object[], as = agentToken, signer: string = agent.address) {
  return call(createDraft, "POST", "/api/drafts", { apiKey: as, body: { signer, intent: { actions } } });
}

/** Draft → agent signs safeTxHash → request; returns ids. */
async function pendingRequest(actions: object[]) {
  const d = await draft(actions);
  expectSeed(R.draft, d, 200);
  const signature = await agent.sign({ hash: d.json.safeTransaction.safeTxHash as Hex });
  const r = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: d.json.draftId, signer: agent.address, signature } });
  expectSeed(R.submit, r, 202);
  const n = await db().approvalNotification.findUniqueOrThrow({ where: { requestId: r.json.requestId } });
  return { draft: d.json, requestId: r.json.requestId as string, notificationId: n.id, signature };
}

async function passkeyHeader(notificationId: string, cookie = owner.cookie) {
  const c = await call(challenge, "POST", "/api/v1/approvals/challenge", { cookie, body: { notificationId } });
  expect(c.status).toBe(200);
  return assertionHeader(c.json.challengeId, authenticator.assert(c.json.options.challenge));
}

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  await deploySafeContracts(devnet.rpcUrl);
  network = await getNetwork(db(), 31337);
  owner = await makeUser();
  outsider = await makeUser();
  await authenticator.register(owner.user.id);
  agent = privateKeyToAccount(generatePrivateKey());
  // The owner's phone, registered for push (D2's device route).
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const device = await call(registerDevice, "POST", "/api/devices", {
    cookie: owner.cookie,
    body: { subscription: { endpoint: "https://push.example.test/sub/1", keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") } }, executionMode: "safe" },
  });
  expect(device.status, JSON.stringify(device.json)).toBe(201);
  deviceId = device.json.id;

  const paired = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie: owner.cookie, body: { mode: "safe", agentAddress: agent.address, chainId: 31337 } });
  expect(paired.status, JSON.stringify(paired.json)).toBe(201);
  agentToken = paired.json.token;
  safeAddress = paired.json.agent.safeAddress;

  // The outsider's organization pairs its own agent (its token must see nothing of the owner's).
  const otherAgent = privateKeyToAccount(generatePrivateKey());
  const otherPaired = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie: outsider.cookie, body: { mode: "safe", agentAddress: otherAgent.address } });
  expect(otherPaired.status).toBe(201);
  outsiderToken = otherPaired.json.token;

  // Fund the Safe: 5 ETH and 1000 TUSD (OpenZeppelin's fixed-supply ERC-20 minted to the Safe).
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  const wallet = walletClientFor(network, funder);
  await client().waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: safeAddress, value: parseEther("5") }) });
  const artifact = JSON.parse(readFileSync("node_modules/@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json", "utf8")) as { abi: Abi; bytecode: Hex };
  const deploy = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: ["Test USD", "TUSD", parseUnits("1000", 18), safeAddress] });
  token = getAddress((await client().waitForTransactionReceipt({ hash: deploy })).contractAddress!);
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("pairing (safe mode)", () => {
  it("deploys a 2-of-2 Safe v1.5.0 owned by the agent and the organization's provider key", async () => {
    const list = await call(listAgents, "GET", "/api/v1/approvals/agents", { cookie: owner.cookie });
    const a = list.json.agents[0];
    expect(a).toMatchObject({ agentAddress: agent.address, executionMode: "safe", chainId: 31337, safeAddress });
    const owners = (await client().readContract({ address: safeAddress, abi: safeAbi(), functionName: "getOwners" })) as Address[];
    expect(owners.map((o) => getAddress(o)).sort()).toEqual([agent.address, getAddress(a.providerAddress)].sort());
    expect(await client().readContract({ address: safeAddress, abi: safeAbi(), functionName: "getThreshold" })).toBe(2n);
    expect(await client().readContract({ address: safeAddress, abi: safeAbi(), functionName: "VERSION" })).toBe("1.5.0");
    expect(agentToken).toMatch(/^csa_/);
    // The provider key is sealed at rest: no plaintext private key in the row.
    const row = await db().approvalProviderKey.findUniqueOrThrow({ where: { organizationId: owner.organizationId } });
    expect(JSON.stringify(row.sealedKey)).not.toMatch(/[0-9a-f]{64}/);
  });

  it("GET /api/pairing-info tells the agent its Safe; wrong mode is a 400, another agent a 404", async () => {
    const r = await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentToken, query: { agent: agent.address.toLowerCase(), mode: "safe" } });
    expectSeed(R.pairing, r, 200);
    expect(r.json).toEqual({ agentAddress: agent.address, executionMode: "safe", safeAddress });
    expectSeed(R.pairing, await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentToken, query: { agent: agent.address, mode: "relay" } }), 400);
    expectSeed(R.pairing, await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentToken, query: {} }), 400);
    expectSeed(R.pairing, await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentToken, query: { agent: "0x1234" } }), 400);
    const other = await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: outsiderToken, query: { agent: agent.address } });
    expect(other.status).toBe(404);
    expect(other.json).toEqual({ error: expect.any(String) });
    expect((await call(pairingInfo, "GET", "/api/pairing-info", { query: { agent: agent.address } })).status).toBe(401);
  });
});

describe("drafts", () => {
  it("turns two actions into one MultiSendCallOnly Safe transaction whose safeTxHash the Safe itself computes", async () => {
    const d = await draft([ethTransfer(parseEther("1")), tokenTransfer(parseUnits("250", 18))]);
    expectSeed(R.draft, d, 200);
    const tx = d.json.safeTransaction;
    expect(tx).toMatchObject({ to: canonicalSafeAddresses().MultiSendCallOnly, operation: 1, value: "0", nonce: "0", safeTxGas: "0", gasPrice: "0" });
    const onChain = await client().readContract({
      address: safeAddress,
      abi: safeAbi(),
      functionName: "getTransactionHash",
      args: [tx.to, BigInt(tx.value), tx.data, tx.operation, BigInt(tx.safeTxGas), BigInt(tx.baseGas), BigInt(tx.gasPrice), tx.gasToken, tx.refundReceiver, BigInt(tx.nonce)],
    });
    expect(tx.safeTxHash).toBe(onChain);
    expect(d.json.safe).toEqual({ chainId: 31337, safeAddress, version: "1.5.0", threshold: 2, owners: expect.arrayContaining([agent.address]) });
    expect(d.json.clearSigning.actionResults).toEqual([
      expect.objectContaining({ resolved: true, source: "vendor", description: expect.stringMatching(/^Send 1 ETH to 0x/) }),
      expect.objectContaining({ resolved: true, source: "vendor", descriptorId: "erc20", description: expect.stringContaining("250 TUSD") }),
    ]);
    expect(d.json.clearSigning.aggregatedDescription).toMatch(/^Send 1 ETH to 0x[0-9a-f]{2}…[0-9a-f]{2} and 1 more action$/);
    expect(d.json.expiresAt).toBeGreaterThan(d.json.createdAt);
  });

  it("a single action is a plain CALL from the Safe", async () => {
    const d = await draft([tokenTransfer(1n)]);
    expectSeed(R.draft, d, 200);
    expect(d.json.safeTransaction).toMatchObject({ to: token, operation: 0, value: "0" });
    expect(d.json.clearSigning.actionResults).toHaveLength(1);
  });

  it("answers 400, 404, 409 and 422 in the seed's error shape", async () => {
    expectSeed(R.draft, await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: agent.address, intent: { actions: [] } } }), 400);
    expectSeed(R.draft, await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: agent.address, intent: { actions: Array(11).fill(ethTransfer(1n)) } } }), 400);
    expectSeed(R.draft, await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: agent.address, intent: { actions: [ethTransfer(1n)] }, extra: 1 } }), 400);
    expectSeed(R.draft, await draft([{ ...ethTransfer(1n), value: "1.5" }]), 400);
    // Another address than the token's agent is not found.
    expectSeed(R.draft, await draft([ethTransfer(1n)], agentToken, recipient), 404);
    // Actions on a chain other than the Safe's.
    expectSeed(R.draft, await draft([{ ...ethTransfer(1n), chainId: 1 }]), 422);
    expectSeed(R.draft, await draft([ethTransfer(1n), { ...ethTransfer(1n), chainId: 5 }]), 422);
    // A relay-mode agent has no Safe: drafts conflict with its pairing.
    const relayAddress = privateKeyToAccount(generatePrivateKey()).address;
    const relayAgent = await db().approvalAgent.create({ data: { id: "agt_relay_test", organizationId: owner.organizationId, address: relayAddress, mode: "relay", chainId: 31337 } });
    const { secret } = await issueCredential(db(), { organizationId: owner.organizationId, kind: "agent_token", name: "relay agent", scopes: ["approvals:read"], subjectType: AGENT_SUBJECT, subjectId: relayAgent.id });
    expectSeed(R.draft, await draft([ethTransfer(1n)], secret, relayAddress), 409);
    // Only agent tokens: an organization key or no credential at all is refused.
    expect((await call(createDraft, "POST", "/api/drafts", { body: { signer: agent.address, intent: { actions: [ethTransfer(1n)] } } })).status).toBe(401);
  });
});

describe("requests and responses on the devnet", () => {
  it("pair → draft (ETH + ERC-20, MultiSend) → agent signs → request → passkey accept → executed, balances changed", async () => {
    const before = { eth: await client().getBalance({ address: recipient }), tusd: await client().readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [recipient] }) };
    const p = await pendingRequest([ethTransfer(parseEther("1")), tokenTransfer(parseUnits("250", 18))]);

    // Same draft twice → 409.
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: p.draft.draftId, signer: agent.address, signature: p.signature } }), 409);

    const got = await call(getRequest, "GET", "/x", { apiKey: agentToken, params: { id: p.requestId } });
    expectSeed(R.get, got, 200);
    expect(got.json).toMatchObject({ status: "pending_human", providerConfirmation: null, txHash: null, error: null, respondedAt: null, executedAt: null, agentSignature: p.signature });
    const listed = await call(listRequests, "GET", "/api/requests", { apiKey: agentToken, query: { agent: agent.address } });
    expectSeed(R.list, listed, 200);
    expect(listed.json.map((r: { requestId: string }) => r.requestId)).toContain(p.requestId);

    // The organization's device got a push queued for this notification, opening the approval page.
    const push = await db().pushDelivery.findFirstOrThrow({ where: { notificationId: p.notificationId } });
    expect(push).toMatchObject({ deviceId, organizationId: owner.organizationId });
    expect(push.payload).toMatchObject({ notificationId: p.notificationId, requestId: p.requestId, body: p.draft.clearSigning.aggregatedDescription, url: `/approvals/${p.notificationId}` });

    const inbox = await call(listNotifications, "GET", "/api/notifications", { cookie: owner.cookie });
    expectSeed(R.notifications, inbox, 200);
    const n = inbox.json.find((x: { requestId: string }) => x.requestId === p.requestId);
    expect(n).toMatchObject({ id: p.notificationId, message: p.draft.clearSigning.aggregatedDescription, response: null, deviceId: "" });
    const detail = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: p.notificationId } });
    expectSeed(R.notification, detail, 200);
    expect(detail.json.approval).toEqual({ kind: "safe", intent: p.draft.intent, clearSigning: p.draft.clearSigning, safeTransaction: p.draft.safeTransaction });
    expect(detail.json.turnkeyExecution).toBeNull();

    // 1 ETH is above the default threshold (0): the notification's Accept alone is not enough.
    const bare = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: p.notificationId, response: "accepted", source: "sw_action", rawAction: "accept", interpretedAction: "accepted" } });
    expect(bare.status).toBe(401);
    expect(bare.json.error).toMatch(/open the approval page/i);

    const header = await passkeyHeader(p.notificationId);
    const accepted = await call(respond, "POST", "/api/responses", {
      cookie: owner.cookie,
      headers: { "x-countersign-assertion": header, "user-agent": "Mozilla/5.0 (Phone)", "x-countersign-device": deviceId },
      body: { notificationId: p.notificationId, response: "accepted", source: "app_ui", rawAction: "approve-button", interpretedAction: "accepted" },
    });
    expectSeed(R.respond, accepted, 200);
    expect(accepted.json.request).toMatchObject({ requestId: p.requestId, status: "executed", error: null, txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(accepted.json.request.providerConfirmation.sender).not.toBe(agent.address);
    expect(accepted.json.request.executedAt).toBeGreaterThanOrEqual(accepted.json.request.respondedAt);
    const receipt = await client().getTransactionReceipt({ hash: accepted.json.request.txHash });
    expect(receipt.status).toBe("success");

    expect(await client().getBalance({ address: recipient })).toBe(before.eth + parseEther("1"));
    expect(await client().readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [recipient] })).toBe(before.tusd + parseUnits("250", 18));

    // The same assertion cannot be replayed, and who/where/how is recorded.
    const response = await db().approvalResponse.findUniqueOrThrow({ where: { notificationId: p.notificationId } });
    expect(response).toMatchObject({ userId: owner.user.id, source: "app_ui", rawAction: "approve-button", interpretedAction: "accepted", userAgent: "Mozilla/5.0 (Phone)" });
    expect(response.passkeyId).not.toBeNull();
    const after = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: p.notificationId } });
    expectSeed(R.notification, after, 200);
    expect(after.json).toMatchObject({ deviceId, response: "accepted", responseSource: "app_ui", responseRawAction: "approve-button", responseUserAgent: "Mozilla/5.0 (Phone)" });
    const mine = await call(listNotifications, "GET", "/api/notifications", { cookie: owner.cookie, query: { deviceId } });
    expectSeed(R.notifications, mine, 200);
    expect(mine.json.map((x: { id: string }) => x.id)).toContain(p.notificationId);
    const elsewhere = await call(listNotifications, "GET", "/api/notifications", { cookie: owner.cookie, query: { deviceId: "00000000-0000-4000-8000-000000000000" } });
    expect(elsewhere.json.map((x: { id: string }) => x.id)).not.toContain(p.notificationId);
    const final = await call(getRequest, "GET", "/x", { apiKey: agentToken, params: { id: p.requestId } });
    expectSeed(R.get, final, 200);
    expect(final.json.status).toBe("executed");
  });

  it("a passkey assertion made for another request is refused (403); reject needs no passkey", async () => {
    const a = await pendingRequest([ethTransfer(parseEther("0.1"))]);
    const b = await pendingRequest([ethTransfer(parseEther("0.2"))]);
    const forA = await passkeyHeader(a.notificationId);
    const wrong = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, headers: { "x-countersign-assertion": forA }, body: { notificationId: b.notificationId, response: "accepted", source: "app_ui" } });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ error: expect.stringMatching(/different request/) });
    const garbage = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, headers: { "x-countersign-assertion": "not-base64-json" }, body: { notificationId: b.notificationId, response: "accepted" } });
    expectSeed(R.respond, garbage, 400);

    for (const p of [a, b]) {
      const rejected = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: p.notificationId, response: "rejected", source: "sw_action", rawAction: "reject", interpretedAction: "rejected" } });
      expectSeed(R.respond, rejected, 200);
      expect(rejected.json.request).toMatchObject({ requestId: p.requestId, status: "rejected_by_human", txHash: null, providerConfirmation: null });
    }
    // Deciding again the other way is a 400; repeating the same answer is idempotent.
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: a.notificationId, response: "accepted" } }), 400);
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: a.notificationId, response: "rejected" } }), 200);
  });

  it("below the organization's threshold the notification's Accept action executes without a passkey", async () => {
    const set = await call(patchSettings, "PATCH", "/api/v1/approvals/settings", { cookie: owner.cookie, body: { passkeyThresholdWei: parseEther("1").toString() } });
    expect(set.status).toBe(200);
    expect((await call(getSettings, "GET", "/x", { cookie: owner.cookie })).json.passkeyThresholdWei).toBe(parseEther("1").toString());

    const big = await pendingRequest([ethTransfer(parseEther("2"))]);
    const refused = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: big.notificationId, response: "accepted", source: "sw_action" } });
    expect(refused.status).toBe(401);
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: big.notificationId, response: "rejected", source: "sw_action" } }), 200);

    const before = await client().getBalance({ address: recipient });
    const small = await pendingRequest([ethTransfer(parseEther("0.5"))]);
    const ok = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: small.notificationId, response: "accepted", source: "sw_action", rawAction: "accept", interpretedAction: "accepted" } });
    expectSeed(R.respond, ok, 200);
    expect(ok.json.request.status).toBe("executed");
    expect(await client().getBalance({ address: recipient })).toBe(before + parseEther("0.5"));
    expect((await db().approvalResponse.findUniqueOrThrow({ where: { notificationId: small.notificationId } })).passkeyId).toBeNull();
  });

  it("an expired draft is 410, a non-owner signature 400, an unknown draft 404", async () => {
    const d = await draft([ethTransfer(1n)]);
    await db().approvalDraft.update({ where: { id: d.json.draftId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const sig = await agent.sign({ hash: d.json.safeTransaction.safeTxHash });
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: d.json.draftId, signer: agent.address, signature: sig } }), 410);

    const fresh = await draft([ethTransfer(1n)]);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const bad = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: fresh.json.draftId, signer: agent.address, signature: await stranger.sign({ hash: fresh.json.safeTransaction.safeTxHash }) } });
    expectSeed(R.submit, bad, 400);
    expect(bad.json.error).toMatch(/owner/);
    // A signature over something else by the agent itself does not count either.
    const other = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: fresh.json.draftId, signer: agent.address, signature: await agent.sign({ hash: `0x${"ab".repeat(32)}` }) } });
    expectSeed(R.submit, other, 400);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: fresh.json.draftId, signer: agent.address, signature: "0x1234" } }), 400);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: "drf_missing", signer: agent.address, signature: sig } }), 404);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: fresh.json.draftId, signer: agent.address } }), 400);
    // eth_sign (personal_sign over the hash bytes) is accepted too, and stored with v + 4 for the Safe.
    const ethSign = await agent.signMessage({ message: { raw: fresh.json.safeTransaction.safeTxHash } });
    const ok = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: fresh.json.draftId, signer: agent.address, signature: ethSign } });
    expectSeed(R.submit, ok, 202);
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: ok.json.requestId } });
    expect(Number.parseInt(stored.agentSignature.slice(-2), 16)).toBeGreaterThan(30);
  });

  it("another organization sees 404 everywhere", async () => {
    const p = await pendingRequest([ethTransfer(1n)]);
    const r1 = await call(getRequest, "GET", "/x", { apiKey: outsiderToken, params: { id: p.requestId } });
    expectSeed(R.get, r1, 404);
    expectSeed(R.get, await call(getRequest, "GET", "/x", { cookie: outsider.cookie, params: { id: p.requestId } }), 404);
    expectSeed(R.notification, await call(getNotification, "GET", "/x", { cookie: outsider.cookie, params: { id: p.notificationId } }), 404);
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: outsider.cookie, body: { notificationId: p.notificationId, response: "rejected" } }), 404);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/requests", { apiKey: outsiderToken, body: { draftId: p.draft.draftId, signer: agent.address, signature: p.signature } }), 404);
    const theirList = await call(listRequests, "GET", "/api/requests", { apiKey: outsiderToken });
    expectSeed(R.list, theirList, 200);
    expect(theirList.json).toEqual([]);
    const theirInbox = await call(listNotifications, "GET", "/api/notifications", { cookie: outsider.cookie });
    expectSeed(R.notifications, theirInbox, 200);
    expect(theirInbox.json).toEqual([]);
    expect((await call(challenge, "POST", "/api/v1/approvals/challenge", { cookie: outsider.cookie, body: { notificationId: p.notificationId } })).status).toBe(404);
    // The owner's side still sees it, and the dashboard can read requests with its session.
    expectSeed(R.list, await call(listRequests, "GET", "/api/requests", { cookie: owner.cookie, query: { agent: agent.address } }), 200);
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: "ntf_missing", response: "rejected" } }), 404);
    expectSeed(R.respond, await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: p.notificationId, response: "maybe" } }), 400);
    expectSeed(R.notification, await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: "ntf_missing" } }), 404);
    expect((await call(listNotifications, "GET", "/api/notifications", {})).status).toBe(401);
  });

  it("an accept whose instance stopped mid-way is carried on by the next read (eth_sign agent signature on-chain)", async () => {
    const d = await draft([ethTransfer(parseEther("0.25"))]);
    const signature = await agent.signMessage({ message: { raw: d.json.safeTransaction.safeTxHash } });
    const r = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: d.json.draftId, signer: agent.address, signature } });
    expectSeed(R.submit, r, 202);
    // As if the instance died right after recording the accept.
    await db().approvalRequest.update({ where: { id: r.json.requestId }, data: { status: "proposing", respondedAt: new Date(), updatedAt: new Date(Date.now() - 120_000) } });
    const before = await client().getBalance({ address: recipient });
    expectSeed(R.list, await call(listRequests, "GET", "/api/requests", { apiKey: agentToken }), 200);
    const done = await call(getRequest, "GET", "/x", { apiKey: agentToken, params: { id: r.json.requestId } });
    expectSeed(R.get, done, 200);
    expect(done.json).toMatchObject({ status: "executed", error: null });
    expect(await client().getBalance({ address: recipient })).toBe(before + parseEther("0.25"));
  });

  it("a request whose Safe nonce was used meanwhile ends in proposal_failed with the reason", async () => {
    const first = await pendingRequest([ethTransfer(1n)]);
    const second = await pendingRequest([ethTransfer(2n)]);
    expect(second.draft.safeTransaction.nonce).toBe(first.draft.safeTransaction.nonce);
    const ok = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: first.notificationId, response: "accepted", source: "sw_action" } });
    expect(ok.json.request.status).toBe("executed");
    const failed = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: second.notificationId, response: "accepted", source: "sw_action" } });
    expectSeed(R.respond, failed, 200);
    expect(failed.json.request).toMatchObject({ status: "proposal_failed", txHash: null, error: expect.stringMatching(/nonce/) });
  });

  it("a viewer cannot decide", async () => {
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    const p = await pendingRequest([ethTransfer(1n)]);
    expectSeed(R.notifications, await call(listNotifications, "GET", "/api/notifications", { cookie: viewer.cookie }), 200);
    const r = await call(respond, "POST", "/api/responses", { cookie: viewer.cookie, body: { notificationId: p.notificationId, response: "accepted" } });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error: expect.any(String) });
  });
});
