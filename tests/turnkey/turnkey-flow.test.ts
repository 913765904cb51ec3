import { createECDH, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { p256 } from "@noble/curves/nist.js";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { TurnkeyClient } from "@turnkey/http";
import { getAddress, numberToHex, parseEther, parseTransaction, serializeTransaction, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { sealTurnkeyPrivateKey } from "@/lib/turnkey/config";
import { POST as createSession } from "@/app/api/turnkey/hfa/setup-sessions/route";
import { GET as getSession } from "@/app/api/turnkey/hfa/setup-sessions/[id]/route";
import { POST as completeSession } from "@/app/api/v1/approvals/turnkey/setup-sessions/[id]/complete/route";
import { POST as createDraft } from "@/app/api/turnkey/drafts/route";
import { POST as submitRequest } from "@/app/api/turnkey/requests/route";
import { GET as getRequest } from "@/app/api/turnkey/requests/[id]/route";
import { GET as getNotification } from "@/app/api/notifications/[id]/route";
import { POST as respond } from "@/app/api/responses/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { POST as registerDevice } from "@/app/api/devices/route";
import { GET as listAgents } from "@/app/api/v1/approvals/agents/route";
import { startTurnkeyDevServer, type TurnkeyDevServer } from "@/tools/turnkey-dev/server";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";
import { expectSeed } from "../approvals/seed-schemas";

useTestDatabase();

const R = {
  createSession: "POST /api/turnkey/hfa/setup-sessions",
  getSession: "GET /api/turnkey/hfa/setup-sessions/:id",
  draft: "POST /api/turnkey/drafts",
  submit: "POST /api/turnkey/requests",
  get: "GET /api/turnkey/requests/:id",
  notification: "GET /api/notifications/:id",
  respond: "POST /api/responses",
};

function apiKeyPair() {
  const sk = p256.utils.randomSecretKey();
  return { apiPrivateKey: Buffer.from(sk).toString("hex"), apiPublicKey: Buffer.from(p256.getPublicKey(sk, true)).toString("hex") };
}

const TURNKEY_VARS = ["TURNKEY_API_BASE_URL", "TURNKEY_ORGANIZATION_ID", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_PRIVATE_KEY_SEALED"] as const;
const provider = apiKeyPair();
const agentKey = apiKeyPair();
const recipient = privateKeyToAccount(generatePrivateKey()).address;
const authenticator = new SoftAuthenticator();
let devnet: Devnet;
let network: Network;
let dev: { server: TurnkeyDevServer; url: string; organizationId: string };
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let orgKey: string;
let outsiderKey: string;
let setup: { setupSessionId: string; walletAddress: string; subOrganizationId: string; agentUserId: string; providerUserId: string; policyIds: string[] };

const agentClient = () => new TurnkeyClient({ baseUrl: dev.url }, new ApiKeyStamper(agentKey));
const transfer = (value: bigint) => ({ chainId: 31337, to: recipient, data: "0x", value: value.toString() });

function configure(on: boolean) {
  for (const k of TURNKEY_VARS) delete process.env[k];
  if (on) {
    process.env.TURNKEY_API_BASE_URL = dev.url;
    process.env.TURNKEY_ORGANIZATION_ID = dev.organizationId;
    process.env.TURNKEY_API_PUBLIC_KEY = provider.apiPublicKey;
    process.env.TURNKEY_API_PRIVATE_KEY_SEALED = sealTurnkeyPrivateKey(provider.apiPrivateKey);
  }
  resetEnvCache();
}

/** The agent signs the unsigned transaction through Turnkey with its own API key. */
async function agentSigns(unsignedTransaction: string) {
  const { activity } = await agentClient().signTransaction({
    type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    timestampMs: String(Date.now()),
    organizationId: setup.subOrganizationId,
    parameters: { signWith: setup.walletAddress, unsignedTransaction: unsignedTransaction.slice(2), type: "TRANSACTION_TYPE_ETHEREUM" },
  });
  return activity;
}

async function draft(body: object, key = orgKey) {
  return call(createDraft, "POST", "/api/turnkey/drafts", { apiKey: key, body });
}

/** Draft → the agent signs via Turnkey (CONSENSUS_NEEDED) → request. */
async function pendingRequest(value: bigint) {
  const d = await draft({ walletAddress: setup.walletAddress, intent: { actions: [transfer(value)] } });
  expectSeed(R.draft, d, 200);
  const activity = await agentSigns(d.json.turnkeyTransaction.unsignedTransaction);
  expect(activity.status).toBe("ACTIVITY_STATUS_CONSENSUS_NEEDED");
  const r = await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { draftId: d.json.draftId, activityId: activity.id, fingerprint: activity.fingerprint } });
  expectSeed(R.submit, r, 202);
  const n = await db().approvalNotification.findUniqueOrThrow({ where: { requestId: r.json.requestId } });
  return { draft: d.json, activity, requestId: r.json.requestId as string, notificationId: n.id };
}

async function passkeyHeader(notificationId: string) {
  const c = await call(challenge, "POST", "/api/v1/approvals/challenge", { cookie: owner.cookie, body: { notificationId } });
  expect(c.status, JSON.stringify(c.json)).toBe(200);
  return assertionHeader(c.json.challengeId, authenticator.assert(c.json.options.challenge));
}

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  network = await getNetwork(db(), 31337);
  dev = await startTurnkeyDevServer({ apiPublicKey: provider.apiPublicKey });
  owner = await makeUser();
  outsider = await makeUser();
  await authenticator.register(owner.user.id);
  orgKey = (await makeApiKey(owner.organizationId, ["signers:manage", "approvals:read"])).secret;
  outsiderKey = (await makeApiKey(outsider.organizationId, ["signers:manage", "approvals:read"])).secret;
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const device = await call(registerDevice, "POST", "/api/devices", {
    cookie: owner.cookie,
    body: { subscription: { endpoint: "https://push.example.test/sub/turnkey", keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") } } },
  });
  expect(device.status, JSON.stringify(device.json)).toBe(201);
});

afterAll(async () => {
  configure(false);
  await dev?.server.close();
  await devnet?.stop();
});

describe("Turnkey not configured", () => {
  it("every Turnkey route answers 503 { error: 'Turnkey is not configured' }", async () => {
    configure(false);
    const s = await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { apiKey: orgKey, body: { agentPublicKey: agentKey.apiPublicKey } });
    expectSeed(R.createSession, s, 503);
    expect(s.json.error).toBe("Turnkey is not configured");
    const d = await draft({ walletAddress: recipient, intent: { actions: [transfer(1n)] } });
    expect(d.status).toBe(503);
    expect(d.json.error).toBe("Turnkey is not configured");
    const r = await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { draftId: "tkd_x", activityId: "a", fingerprint: "f" } });
    expectSeed(R.submit, r, 503);
  });
});

describe("setup session → Turnkey sub-organization, wallet and consensus policy", () => {
  it("starts pending with a setupUrl; a member completes it on the setup page's action", async () => {
    configure(true);
    expectSeed(R.createSession, await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { apiKey: orgKey, body: { agentPublicKey: "04abc" } }), 400);
    expectSeed(R.createSession, await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { apiKey: orgKey, body: { agentPublicKey: agentKey.apiPublicKey, extra: 1 } }), 400);
    expect((await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { body: { agentPublicKey: agentKey.apiPublicKey } })).status).toBe(401);

    const created = await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { apiKey: orgKey, body: { agentPublicKey: agentKey.apiPublicKey, agentLabel: "trader" } });
    expectSeed(R.createSession, created, 200);
    expect(created.json).toMatchObject({ status: "pending", agentPublicKey: agentKey.apiPublicKey, agentLabel: "trader", providerPublicKey: provider.apiPublicKey, completedAt: null });
    expect(created.json.setupUrl).toMatch(new RegExp(`/turnkey/setup/${created.json.setupSessionId}$`));
    const id = created.json.setupSessionId as string;

    expectSeed(R.getSession, await call(getSession, "GET", "/x", { apiKey: orgKey, params: { id } }), 200);
    expectSeed(R.getSession, await call(getSession, "GET", "/x", { apiKey: outsiderKey, params: { id } }), 404);
    expectSeed(R.getSession, await call(getSession, "GET", "/x", { apiKey: orgKey, params: { id: "tks_nope" } }), 404);
    // Only a signed-in member completes it (an organization key cannot).
    expect((await call(completeSession, "POST", "/x", { apiKey: orgKey, params: { id } })).status).toBe(401);

    const done = await call(completeSession, "POST", "/x", { cookie: owner.cookie, params: { id } });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const read = await call(getSession, "GET", "/x", { cookie: owner.cookie, params: { id } });
    expectSeed(R.getSession, read, 200);
    expect(read.json).toMatchObject({ status: "completed", subOrganizationId: expect.any(String), walletAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), policyIds: [expect.any(String)] });
    expect(read.json.completedAt).toBeGreaterThan(0);
    expect(read.json.setupUrl).toBeUndefined();
    setup = { ...read.json, setupSessionId: id };
    // Completing again is idempotent: the same wallet.
    expect((await call(completeSession, "POST", "/x", { cookie: owner.cookie, params: { id } })).json.walletAddress).toBe(setup.walletAddress);

    // At Turnkey (the stand-in): the provider is the root user, the agent a non-root user with its key, and the policy needs both.
    const sub = dev.server.orgs.get(setup.subOrganizationId)!;
    expect(sub.users.get(setup.providerUserId)).toMatchObject({ root: true, apiKeys: [{ publicKey: provider.apiPublicKey }] });
    expect(sub.users.get(setup.agentUserId)).toMatchObject({ root: false, apiKeys: [{ publicKey: agentKey.apiPublicKey }] });
    expect(sub.policies[0]).toMatchObject({ policyId: setup.policyIds[0], effect: "EFFECT_ALLOW" });
    expect(sub.policies[0]!.consensus).toContain(setup.agentUserId);
    expect(sub.policies[0]!.consensus).toContain(setup.providerUserId);
    // The Safe/relay pairing list is unchanged by a Turnkey wallet.
    const agents = await call(listAgents, "GET", "/api/v1/approvals/agents", { cookie: owner.cookie });
    expect(agents.status).toBe(200);
    expect(agents.json.agents).toEqual([]);

    // The wallet pays its own gas (a devnet top-up here).
    await publicClientFor(network).request({ method: "anvil_setBalance" as never, params: [setup.walletAddress, numberToHex(parseEther("10"))] as never });
  });

  it("an expired session is reported expired and cannot be completed", async () => {
    const created = await call(createSession, "POST", "/api/turnkey/hfa/setup-sessions", { cookie: owner.cookie, body: { agentPublicKey: apiKeyPair().apiPublicKey } });
    expectSeed(R.createSession, created, 200);
    await db().turnkeySetupSession.update({ where: { id: created.json.setupSessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const read = await call(getSession, "GET", "/x", { cookie: owner.cookie, params: { id: created.json.setupSessionId } });
    expectSeed(R.getSession, read, 200);
    expect(read.json.status).toBe("expired");
    expect((await call(completeSession, "POST", "/x", { cookie: owner.cookie, params: { id: created.json.setupSessionId } })).status).toBe(410);
  });
});

describe("drafts", () => {
  it("one action, clear-signed, as an unsigned EIP-1559 transaction for the wallet", async () => {
    const d = await draft({ agent: "trader", intent: { actions: [transfer(parseEther("1"))] } });
    expectSeed(R.draft, d, 200);
    expect(d.json).toMatchObject({ agent: "trader", subOrganizationId: setup.subOrganizationId, walletAddress: setup.walletAddress, turnkeyTransaction: { type: "TRANSACTION_TYPE_ETHEREUM", signWith: setup.walletAddress } });
    expect(d.json.clearSigning.actionResults).toHaveLength(1);
    expect(d.json.expiresAt - d.json.createdAt).toBe(15 * 60_000);
    const tx = parseTransaction(d.json.turnkeyTransaction.unsignedTransaction as Hex);
    expect(tx).toMatchObject({ type: "eip1559", chainId: 31337, to: recipient.toLowerCase(), value: parseEther("1"), nonce: 0 });
    expect(tx.gas).toBeGreaterThanOrEqual(21000n);
    expect(tx.maxFeePerGas).toBeGreaterThan(0n);
  });

  it("refuses more than one action (C16), no wallet named, an unknown wallet, another organization's wallet", async () => {
    const two = await draft({ walletAddress: setup.walletAddress, intent: { actions: [transfer(1n), transfer(2n)] } });
    expectSeed(R.draft, two, 400);
    expect(two.json.error).toMatch(/exactly one action/);
    expectSeed(R.draft, await draft({ intent: { actions: [transfer(1n)] } }), 400);
    expectSeed(R.draft, await draft({ walletAddress: recipient, intent: { actions: [transfer(1n)] } }), 404);
    expectSeed(R.draft, await draft({ walletAddress: setup.walletAddress, intent: { actions: [transfer(1n)] } }, outsiderKey), 404);
    // More than the wallet holds.
    const poor = await draft({ walletAddress: setup.walletAddress, intent: { actions: [transfer(parseEther("1000"))] } });
    expectSeed(R.draft, poor, 400);
    expect(poor.json.error).toMatch(/fund the wallet/);
  });
});

describe("request → push → accept → executed", () => {
  it("checks the activity at Turnkey, notifies, and the approval completes it and broadcasts", async () => {
    const d = await draft({ subOrganizationId: setup.subOrganizationId, intent: { actions: [transfer(parseEther("1"))] } });
    expectSeed(R.draft, d, 200);
    const activity = await agentSigns(d.json.turnkeyTransaction.unsignedTransaction);
    expect(activity.status).toBe("ACTIVITY_STATUS_CONSENSUS_NEEDED");

    const body = { draftId: d.json.draftId, activityId: activity.id, fingerprint: activity.fingerprint };
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { ...body, fingerprint: "sha256:00" } }), 400);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { ...body, activityId: "00000000-0000-4000-8000-000000000000" } }), 404);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { ...body, draftId: "tkd_unknown" } }), 404);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: outsiderKey, body }), 404);
    const r = await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body });
    expectSeed(R.submit, r, 202);
    expect(r.json).toMatchObject({ status: "pending_human", description: d.json.clearSigning.aggregatedDescription });
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body }), 409);

    const requestId = r.json.requestId as string;
    const got = await call(getRequest, "GET", "/x", { apiKey: orgKey, params: { id: requestId } });
    expectSeed(R.get, got, 200);
    expect(got.json).toMatchObject({ requestId, draftId: d.json.draftId, status: "pending_human", subOrganizationId: setup.subOrganizationId, walletAddress: setup.walletAddress, activityId: activity.id, fingerprint: activity.fingerprint, txHash: null, error: null, respondedAt: null, executedAt: null });
    expectSeed(R.get, await call(getRequest, "GET", "/x", { apiKey: outsiderKey, params: { id: requestId } }), 404);

    // Push queued for the organization's device, opening the approval page.
    const n = await db().approvalNotification.findUniqueOrThrow({ where: { requestId } });
    const push = await db().pushDelivery.findFirstOrThrow({ where: { notificationId: n.id } });
    expect(push.payload).toMatchObject({ notificationId: n.id, requestId, url: `/approvals/${n.id}` });

    const detail = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: n.id } });
    expectSeed(R.notification, detail, 200);
    expect(detail.json.approval).toEqual({ kind: "turnkey", intent: d.json.intent, clearSigning: d.json.clearSigning });
    expect(detail.json.turnkeyExecution).toEqual({ status: "pending_human", txHash: null, error: null, chainId: 31337, explorerTxUrl: null });

    // 1 ETH is above the passkey threshold (0): the Accept alone is refused, nothing sent to Turnkey.
    const bare = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: n.id, response: "accepted", source: "sw_action" } });
    expect(bare.status).toBe(401);
    expect((await agentClient().getActivity({ organizationId: setup.subOrganizationId, activityId: activity.id })).activity.status).toBe("ACTIVITY_STATUS_CONSENSUS_NEEDED");

    const before = await publicClientFor(network).getBalance({ address: recipient });
    const accepted = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, headers: { "x-countersign-assertion": await passkeyHeader(n.id) }, body: { notificationId: n.id, response: "accepted", source: "app_ui" } });
    expectSeed(R.respond, accepted, 200);
    expect(accepted.json).toMatchObject({ response: "accepted", request: null });

    const after = await call(getRequest, "GET", "/x", { cookie: owner.cookie, params: { id: requestId } });
    expectSeed(R.get, after, 200);
    expect(after.json).toMatchObject({ status: "executed", error: null, txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(after.json.executedAt).toBeGreaterThanOrEqual(after.json.respondedAt);
    const receipt = await publicClientFor(network).getTransactionReceipt({ hash: after.json.txHash });
    expect(receipt.status).toBe("success");
    expect(getAddress(receipt.from)).toBe(setup.walletAddress);
    expect((await publicClientFor(network).getBalance({ address: recipient })) - before).toBe(parseEther("1"));
    // At Turnkey the activity completed with the provider's vote.
    const final = (await agentClient().getActivity({ organizationId: setup.subOrganizationId, activityId: activity.id })).activity;
    expect(final.status).toBe("ACTIVITY_STATUS_COMPLETED");
    expect(final.votes.map((v) => v.userId)).toEqual([setup.agentUserId, setup.providerUserId]);

    const executed = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: n.id } });
    expectSeed(R.notification, executed, 200);
    expect(executed.json.turnkeyExecution).toEqual({ status: "executed", txHash: after.json.txHash, error: null, chainId: 31337, explorerTxUrl: null });
    expect(executed.json.response).toBe("accepted");
  });

  it("reject sends REJECT_ACTIVITY: rejected_by_human, nothing broadcast", async () => {
    const p = await pendingRequest(parseEther("0.5"));
    const rejected = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: p.notificationId, response: "rejected", source: "sw_action" } });
    expectSeed(R.respond, rejected, 200);
    expect(rejected.json.request).toBeNull();
    const got = await call(getRequest, "GET", "/x", { apiKey: orgKey, params: { id: p.requestId } });
    expectSeed(R.get, got, 200);
    expect(got.json).toMatchObject({ status: "rejected_by_human", txHash: null, executedAt: null });
    expect((await agentClient().getActivity({ organizationId: setup.subOrganizationId, activityId: p.activity.id })).activity.status).toBe("ACTIVITY_STATUS_REJECTED");
    const detail = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: p.notificationId } });
    expectSeed(R.notification, detail, 200);
    expect(detail.json.turnkeyExecution).toMatchObject({ status: "rejected_by_human", txHash: null });
  });

  it("refuses an activity that signs another transaction, one already decided, and an expired draft", async () => {
    const d = await draft({ walletAddress: setup.walletAddress, intent: { actions: [transfer(7n)] } });
    expectSeed(R.draft, d, 200);
    const tx = parseTransaction(d.json.turnkeyTransaction.unsignedTransaction as Hex);
    const other = serializeTransaction({ ...(tx as object), value: 8n } as never);
    const wrong = await agentSigns(other);
    const r = await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { draftId: d.json.draftId, activityId: wrong.id, fingerprint: wrong.fingerprint } });
    expectSeed(R.submit, r, 400);
    expect(r.json.error).toMatch(/another transaction/);

    // The provider already rejected it at Turnkey: no longer CONSENSUS_NEEDED → 409.
    const signed = await agentSigns(d.json.turnkeyTransaction.unsignedTransaction);
    await new TurnkeyClient({ baseUrl: dev.url }, new ApiKeyStamper(provider)).rejectActivity({ type: "ACTIVITY_TYPE_REJECT_ACTIVITY", timestampMs: String(Date.now()), organizationId: setup.subOrganizationId, parameters: { fingerprint: signed.fingerprint } });
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { draftId: d.json.draftId, activityId: signed.id, fingerprint: signed.fingerprint } }), 409);

    await db().turnkeyDraft.update({ where: { id: d.json.draftId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const again = await agentSigns(d.json.turnkeyTransaction.unsignedTransaction);
    expectSeed(R.submit, await call(submitRequest, "POST", "/api/turnkey/requests", { apiKey: orgKey, body: { draftId: d.json.draftId, activityId: again.id, fingerprint: again.fingerprint } }), 410);
  });
});
