/**
 * GET /api/v1/approvals/inbox (and /inbox/:notificationId): the dashboard inbox's read route over
 * real seed 004 requests on the devnet — pending first (newest first), then decided with who, when,
 * from which device and whether with a passkey; relay requests name their parked signing request;
 * another organization sees nothing; bad input is a 400 in the v1 error shape.
 */
import { createECDH, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { deploySafeContracts } from "@/lib/safe/deploy";
import { listApprovalsInbox } from "@/lib/api/approvals-inbox";
import { POST as createDraft } from "@/app/api/drafts/route";
import { POST as submitRequest } from "@/app/api/requests/route";
import { POST as respond } from "@/app/api/responses/route";
import { POST as registerDevice } from "@/app/api/devices/route";
import { POST as pairAgent } from "@/app/api/v1/approvals/agents/route";
import { GET as inbox } from "@/app/api/v1/approvals/inbox/route";
import { GET as inboxItem } from "@/app/api/v1/approvals/inbox/[notificationId]/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let agent: PrivateKeyAccount;
let agentToken: string;
let safeAddress: Address;
let deviceId: string;
const recipient = privateKeyToAccount(generatePrivateKey()).address;

async function pendingRequest(wei: bigint[]) {
  const d = await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: agent.address, intent: { actions: wei.map((v) => ({ chainId: 31337, to: recipient, data: "0x", value: v.toString() })) } } });
  expect(d.status, JSON.stringify(d.json)).toBe(200);
  const signature = await agent.sign({ hash: d.json.safeTransaction.safeTxHash as Hex });
  const r = await call(submitRequest, "POST", "/api/requests", { apiKey: agentToken, body: { draftId: d.json.draftId, signer: agent.address, signature } });
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  const n = await db().approvalNotification.findUniqueOrThrow({ where: { requestId: r.json.requestId } });
  return { requestId: r.json.requestId as string, notificationId: n.id, description: r.json.description as string, safeTxHash: d.json.safeTransaction.safeTxHash as string };
}

const list = (cookie: string, query?: Record<string, string>) => call(inbox, "GET", "/api/v1/approvals/inbox", { cookie, query });
const expectContract = (res: { status: number; json: unknown }) => expect(listApprovalsInbox.responses[200].safeParse(res.json).success).toBe(true);

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  await deploySafeContracts(devnet.rpcUrl);
  const network = await getNetwork(db(), 31337);
  owner = await makeUser();
  outsider = await makeUser();
  agent = privateKeyToAccount(generatePrivateKey());
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const device = await call(registerDevice, "POST", "/api/devices", {
    cookie: owner.cookie,
    headers: { "user-agent": PHONE_UA },
    body: { subscription: { endpoint: "https://push.example.test/sub/inbox", keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") } }, executionMode: "safe" },
  });
  expect(device.status, JSON.stringify(device.json)).toBe(201);
  deviceId = device.json.id;
  const paired = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie: owner.cookie, body: { mode: "safe", agentAddress: agent.address, chainId: 31337 } });
  expect(paired.status, JSON.stringify(paired.json)).toBe(201);
  agentToken = paired.json.token;
  safeAddress = paired.json.agent.safeAddress;
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: safeAddress, value: parseEther("5") }) });
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("GET /api/v1/approvals/inbox", () => {
  it("is empty before any request, and lists nothing of another organization", async () => {
    const res = await list(owner.cookie);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [], toolCalls: [] });
  });

  it("lists pending requests newest first with agent, Safe, value and the clear-signed description", async () => {
    const first = await pendingRequest([parseEther("0.25")]);
    const second = await pendingRequest([parseEther("0.1"), parseEther("0.2")]);
    const res = await list(owner.cookie);
    expect(res.status).toBe(200);
    expectContract(res);
    expect(res.json.items.map((i: { notificationId: string }) => i.notificationId)).toEqual([second.notificationId, first.notificationId]);
    expect(res.json.items[0]).toMatchObject({
      requestId: second.requestId,
      mode: "safe",
      status: "pending_human",
      description: second.description,
      agent: { address: agent.address, signerId: null, signerName: null },
      chainId: 31337,
      safeAddress: getAddress(safeAddress),
      valueWei: parseEther("0.3").toString(),
      subjectHash: second.safeTxHash,
      signingRequestId: null,
      decision: null,
    });
    expect(res.json.items[0].intent.actions).toHaveLength(2);
    expect(res.json.items[0].clearSigning.actionResults).toHaveLength(2);

    // Another organization: an empty inbox, and the item is a 404.
    expect((await list(outsider.cookie)).json).toEqual({ items: [], toolCalls: [] });
    const foreign = await call(inboxItem, "GET", `/api/v1/approvals/inbox/${first.notificationId}`, { cookie: outsider.cookie, params: { notificationId: first.notificationId } });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toMatchObject({ statusCode: 404, message: "Notification not found" });
  });

  it("after a decision the request moves below the pending ones with who decided, when, from which device", async () => {
    const before = (await list(owner.cookie)).json.items as { notificationId: string; createdAt: string }[];
    const target = before[before.length - 1]!; // the oldest pending request
    const rejected = await call(respond, "POST", "/api/responses", {
      cookie: owner.cookie,
      headers: { "user-agent": PHONE_UA, "x-countersign-device": deviceId },
      body: { notificationId: target.notificationId, response: "rejected", source: "sw_action", rawAction: "reject", interpretedAction: "rejected" },
    });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
    // The human's answer is a transparency-log leaf, committed with the response (issue #14).
    const n = await db().approvalNotification.findUniqueOrThrow({ where: { id: target.notificationId }, include: { request: true } });
    const [leaf] = (await db().tlogEntry.findMany({ where: { decisionId: n.requestId, kind: "approval.decision" } })).map((e) => JSON.parse(Buffer.from(e.event!).toString("utf8")));
    expect(leaf).toMatchObject({ decision: "rejected", actor: { type: "user", id: owner.user.id }, digest: n.request.subjectHash, org: owner.organizationId });

    const res = await list(owner.cookie);
    expectContract(res);
    const items = res.json.items as { notificationId: string; status: string; decision: unknown }[];
    expect(items[items.length - 1]!.notificationId).toBe(target.notificationId);
    expect(items.slice(0, -1).every((i) => i.status === "pending_human" && i.decision === null)).toBe(true);
    const decided = items[items.length - 1]!;
    expect(decided).toMatchObject({
      status: "rejected_by_human",
      decision: {
        response: "rejected",
        decidedAt: expect.any(String),
        decidedBy: { id: owner.user.id, name: owner.user.name, email: owner.user.email },
        source: "sw_action",
        device: { id: deviceId, name: expect.stringContaining("Android") },
        userAgent: PHONE_UA,
        withPasskey: false,
      },
    });

    const one = await call(inboxItem, "GET", `/api/v1/approvals/inbox/${target.notificationId}`, { cookie: owner.cookie, params: { notificationId: target.notificationId } });
    expect(one.status).toBe(200);
    expect(one.json.item).toEqual(decided);
  });

  it("names the parked signing request of a relay-mode request (the inbox shows them once)", async () => {
    const signingRequestId = "9b3a3c52-5a0e-4f57-8f0e-0d3f8d4c1a11";
    const relayAgent = await db().approvalAgent.create({ data: { id: `agt_inbox_relay`, organizationId: owner.organizationId, address: privateKeyToAccount(generatePrivateKey()).address, mode: "relay", chainId: 31337 } });
    const request = await db().approvalRequest.create({
      data: {
        id: "req_inbox_relay",
        organizationId: owner.organizationId,
        agentId: relayAgent.id,
        mode: "relay",
        signingRequestId,
        status: "pending_human",
        chainId: 31337,
        intent: { actions: [] },
        clearSigning: { actionResults: [], aggregatedDescription: 'Sign message "hello"' },
        subjectHash: `0x${"ab".repeat(32)}`,
        valueWei: "0",
        agentSignature: "0x",
      },
    });
    const n = await db().approvalNotification.create({ data: { id: "ntf_inbox_relay", organizationId: owner.organizationId, requestId: request.id, message: 'Sign message "hello"' } });
    const res = await list(owner.cookie);
    expectContract(res);
    expect(res.json.items[0]).toMatchObject({ notificationId: n.id, mode: "relay", signingRequestId, safeAddress: null, description: 'Sign message "hello"', intent: { actions: [] } });
  });

  it("limits, and refuses bad input, API keys and anonymous callers", async () => {
    const limited = await list(owner.cookie, { limit: "1" });
    expect(limited.status).toBe(200);
    expect(limited.json.items.length).toBeGreaterThanOrEqual(1);
    for (const query of [{ limit: "0" }, { limit: "500" }, { limit: "x" }, { unknown: "1" }] as Record<string, string>[]) {
      const bad = await list(owner.cookie, query);
      expect(bad.status, JSON.stringify(query)).toBe(400);
      expect(bad.json).toMatchObject({ statusCode: 400, message: expect.any(String) });
    }
    const anonymous = await call(inbox, "GET", "/api/v1/approvals/inbox");
    expect(anonymous.status).toBe(401);
    const key = (await makeApiKey(owner.organizationId, ["approvals:read"])).secret;
    const withKey = await call(inbox, "GET", "/api/v1/approvals/inbox", { apiKey: key });
    expect([401, 403]).toContain(withKey.status);
    const missing = await call(inboxItem, "GET", "/api/v1/approvals/inbox/ntf_nope", { cookie: owner.cookie, params: { notificationId: "ntf_nope" } });
    expect(missing.status).toBe(404);
  });

  it("a viewer (approvals:read) reads the same inbox", async () => {
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    const res = await list(viewer.cookie);
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBe((await list(owner.cookie)).json.items.length);
  });
});
