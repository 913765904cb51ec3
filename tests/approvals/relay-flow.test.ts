/**
 * relay mode: the agent is a Countersign signer; a rules document's require_approval parks its
 * signing session, seed 004's notification appears for it, and POST /api/responses approves
 * (passkey-bound to the session's message hash) or rejects the parked session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { FAST_TEST } from "@/lib/mpc";
import { localSignParty } from "@/lib/signing/local-party";
import { driveCeremony } from "@/lib/signing/driver";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { GET as sessionStatus } from "@/app/api/v1/sign/session/[id]/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as signComplete } from "@/app/api/v1/sign/complete/route";
import { GET as pairingInfo } from "@/app/api/pairing-info/route";
import { POST as createDraft } from "@/app/api/drafts/route";
import { GET as listNotifications } from "@/app/api/notifications/route";
import { GET as getNotification } from "@/app/api/notifications/[id]/route";
import { POST as respond } from "@/app/api/responses/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { POST as pairAgent } from "@/app/api/v1/approvals/agents/route";
import { POST as pauseAgent } from "@/app/api/v1/agents/[id]/pause/route";
import { POST as resumeAgent } from "@/app/api/v1/agents/[id]/resume/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { activateRules, agentIdentityOf, createDealtSigner } from "../helpers/signer";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";
import { expectSeed } from "./seed-schemas";

useTestDatabase();

const ETH = 10n ** 18n;
// EIP-55: the checksummed form of this address is all-lowercase ("A11c" was a wrong checksum, now refused).
const alice = "0x000000000000000000000000000000000000a11c";
let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let agentToken: string;
const authenticator = new SoftAuthenticator();
let nonce = 0;
const clientNonce = () => (0xb000 + ++nonce).toString(16).padStart(64, "0");
const start = (value: bigint) => call(signSession, "POST", "/api/v1/sign/session", { apiKey: s.apiKey, body: { transaction: { to: alice, value: value.toString() }, clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } });

async function notificationFor(signingRequestId: string) {
  const inbox = await call(listNotifications, "GET", "/api/notifications", { cookie: owner.cookie });
  expectSeed("GET /api/notifications", inbox, 200);
  const request = await db().approvalRequest.findUniqueOrThrow({ where: { signingRequestId } });
  const n = inbox.json.find((x: { requestId: string }) => x.requestId === request.id);
  expect(n).toBeDefined();
  return { notification: n, request };
}

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  await authenticator.register(owner.user.id);
  s = await createDealtSigner(owner, 31337, "Relay bot");
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: s.signer.address, value: parseEther("5") }) });
  await activateRules(owner.organizationId, s.signer.id, [{ id: "big-payments", description: "Payments above 0.1 ETH need a human", when: { field: "value", op: "gt", value: (ETH / 10n).toString() }, action: "require_approval" }]);
  const paired = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie: owner.cookie, body: { mode: "relay", signerId: s.signer.id } });
  expect(paired.status, JSON.stringify(paired.json)).toBe(201);
  expect(paired.json.agent).toMatchObject({ agentAddress: s.signer.address, executionMode: "relay", safeAddress: null, signerId: s.signer.id });
  agentToken = paired.json.token;
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("relay mode", () => {
  it("pairing-info answers relay with no Safe; drafts are refused (409)", async () => {
    const r = await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentToken, query: { agent: s.signer.address, mode: "relay" } });
    expectSeed("GET /api/pairing-info", r, 200);
    expect(r.json).toEqual({ agentAddress: s.signer.address, executionMode: "relay", safeAddress: null });
    const d = await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: s.signer.address, intent: { actions: [{ chainId: 31337, to: alice, data: "0x", value: "1" }] } } });
    expectSeed("POST /api/drafts", d, 409);
  });

  it("a parked session is notified, approved with a passkey bound to its hash, signs and completes", async () => {
    const parked = await start((5n * ETH) / 10n);
    expect(parked.status).toBe(202);
    // Created when the session parks (so devices are pushed at once), not when someone opens the inbox.
    const atPark = await db().approvalRequest.findUnique({ where: { signingRequestId: parked.json.signingRequestId } });
    expect(atPark).not.toBeNull();
    expect(await db().approvalNotification.count({ where: { requestId: atPark!.id } })).toBe(1);
    const { notification, request } = await notificationFor(parked.json.signingRequestId);
    expect(request).toMatchObject({ mode: "relay", status: "pending_human", subjectHash: parked.json.messageHash, valueWei: ((5n * ETH) / 10n).toString() });
    expect(notification.message).toMatch(/^Send 0\.5 ETH to 0x00…1c$/);
    const detail = await call(getNotification, "GET", "/x", { cookie: owner.cookie, params: { id: notification.id } });
    expectSeed("GET /api/notifications/:id", detail, 200);

    // Above the threshold: the notification's Accept alone is refused.
    expect((await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: notification.id, response: "accepted", source: "sw_action" } })).status).toBe(401);
    const c = await call(challenge, "POST", "/api/v1/approvals/challenge", { cookie: owner.cookie, body: { notificationId: notification.id } });
    expect(c.json.subjectHash).toBe(parked.json.messageHash);
    const ok = await call(respond, "POST", "/api/responses", {
      cookie: owner.cookie,
      headers: { "x-countersign-assertion": assertionHeader(c.json.challengeId, authenticator.assert(c.json.options.challenge)) },
      body: { notificationId: notification.id, response: "accepted", source: "app_ui" },
    });
    expectSeed("POST /api/responses", ok, 200);
    expect(ok.json.request).toBeNull();
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: parked.json.signingRequestId } })).decidedById).toBe(owner.user.id);

    // The session is open again: the agent's rounds run and the transaction is broadcast.
    const status = await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: parked.json.sessionId } });
    expect(status.json.status).toBe("open");
    const party = localSignParty({ share: s.agentShare, signers: parked.json.signers, messageHash: parked.json.messageHash.slice(2), sid: parked.json.sid, profile: FAST_TEST, identities: parked.json.identities, identity: agentIdentityOf(s) });
    const post = async (body: object) => {
      const r = await call(signRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: parked.json.sessionId, ...body } });
      if (r.status !== 200) throw new Error(`round ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json;
    };
    await driveCeremony({ transport: { submit: ({ seq, messages, after }) => post({ seq, messages, after }), poll: ({ after }) => post({ seq: 0, messages: [], after }) }, parties: [party], initial: status.json.messages });
    const done = await call(signComplete, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: parked.json.sessionId } });
    expect(done.status).toBe(200);
    expect((await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: done.json.txHash })).status).toBe("success");

    // The seed 004 request follows the signing request to the chain.
    await call(listNotifications, "GET", "/api/notifications", { cookie: owner.cookie });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "executed", txHash: done.json.txHash });
  });

  it("reject ends the parked session without a passkey", async () => {
    const parked = await start((3n * ETH) / 10n);
    expect(parked.status).toBe(202);
    const { notification, request } = await notificationFor(parked.json.signingRequestId);
    const r = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: notification.id, response: "rejected", source: "sw_action", rawAction: "reject" } });
    expectSeed("POST /api/responses", r, 200);
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: parked.json.signingRequestId } })).status).toBe("rejected");
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("rejected_by_human");
    expect((await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: parked.json.sessionId } })).json.status).toBe("rejected");
  });

  it("a session that expired before the answer is 410 and nothing is recorded", async () => {
    const parked = await start((2n * ETH) / 10n);
    const { notification, request } = await notificationFor(parked.json.signingRequestId);
    await db().ceremony.update({ where: { id: parked.json.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: notification.id, response: "rejected" } });
    expect(r.status).toBe(410);
    expect(r.json).toEqual({ error: expect.any(String) });
    expect(await db().approvalResponse.count({ where: { notificationId: notification.id } })).toBe(0);
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending_human");
  });

  it("the kill switch: a paused agent's waiting request is never accepted; its parked session has ended", async () => {
    const parked = await start((3n * ETH) / 10n);
    expect(parked.status).toBe(202);
    const { notification, request } = await notificationFor(parked.json.signingRequestId);
    const { agentId } = await db().signer.findUniqueOrThrow({ where: { id: s.signer.id }, select: { agentId: true } });
    expect((await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId! } })).status).toBe(200);
    try {
      const accepted = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: notification.id, response: "accepted", source: "sw_action" } });
      expect(accepted.status).toBe(403);
      expect(accepted.json).toEqual({ error: "Agent is paused" });
      expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending_human");
      // pausing ended the parked session (its spend released): like an expired one, it is no longer decided
      expect((await db().signingRequest.findUniqueOrThrow({ where: { id: parked.json.signingRequestId } })).status).toBe("released");
      const rejected = await call(respond, "POST", "/api/responses", { cookie: owner.cookie, body: { notificationId: notification.id, response: "rejected", source: "sw_action" } });
      expect(rejected.status).toBe(409);
      expect(await db().approvalResponse.count({ where: { notificationId: notification.id } })).toBe(0);
    } finally {
      await call(resumeAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId! } });
    }
  });
});
