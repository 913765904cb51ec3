/**
 * require_approval in the signing path: the parked session (202, rounds 409, status endpoints),
 * the signing-request routes (list, get, approve, reject) with their permissions and organization
 * scoping, the SDK waiting for a decision, and the spend a parked or rejected request holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, parseEther, recoverMessageAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { FAST_TEST } from "@/lib/mpc";
import { ApprovalRejectedError, CountersignAgent } from "@/lib/sdk/agent";
import { localSignParty } from "@/lib/signing/local-party";
import { driveCeremony } from "@/lib/signing/driver";
import { POST as createPolicy } from "@/app/api/v1/signers/[id]/policies/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { GET as sessionStatus } from "@/app/api/v1/sign/session/[id]/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as signComplete } from "@/app/api/v1/sign/complete/route";
import { POST as userSession } from "@/app/api/v1/signers/[id]/sign/session/route";
import { GET as userSessionStatus } from "@/app/api/v1/signers/[id]/sign/session/[sessionId]/route";
import { POST as userRound } from "@/app/api/v1/signers/[id]/sign/round/route";
import { GET as listRequests } from "@/app/api/v1/signing-requests/route";
import { GET as getRequest } from "@/app/api/v1/signing-requests/[id]/route";
import { POST as approve } from "@/app/api/v1/signing-requests/[id]/approve/route";
import { POST as reject } from "@/app/api/v1/signing-requests/[id]/reject/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { PATCH as patchApprovalSettings } from "@/app/api/v1/approvals/settings/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { activateRules, agentIdentityOf, createDealtSigner } from "../helpers/signer";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";

useTestDatabase();

let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let approver: Awaited<ReturnType<typeof makeUser>>;
let viewer: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let agent: CountersignAgent;
// EIP-55: the checksummed form of this address is all-lowercase ("A11c" would be a wrong checksum, refused).
const alice = "0x000000000000000000000000000000000000a11c";
const ETH = 10n ** 18n;
let nonce = 0;
const clientNonce = () => (0xa000 + ++nonce).toString(16).padStart(64, "0");

/** appFetch plus the session status route the SDK polls while it waits for an approver. */
const agentFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const m = /^\/api\/v1\/sign\/session\/([^/]+)$/.exec(new URL(req.url).pathname);
  if (req.method === "GET" && m) return sessionStatus(req, { params: Promise.resolve({ id: m[1] }) });
  return appFetch(req);
};

const start = (to: string, value: bigint) => call(signSession, "POST", "/api/v1/sign/session", { apiKey: s.apiKey, body: { transaction: { to, value: value.toString() }, clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } });
/** Each deciding user's passkey (approving a parked request is bound to it, like seed 004's accept). */
const passkeys = new Map<string, SoftAuthenticator>();
async function passkeyHeader(id: string, cookie: string, subjectId = id): Promise<Record<string, string>> {
  const authenticator = passkeys.get(cookie);
  if (!authenticator) return {};
  const c = await call(challenge, "POST", "/x", { cookie, body: { signingRequestId: subjectId } });
  if (c.status !== 200) return {};
  return { "x-countersign-assertion": assertionHeader(c.json.challengeId, authenticator.assert(c.json.options.challenge)) };
}
const decide = async (handler: typeof approve, id: string, cookie: string) =>
  call(handler, "POST", "/x", { cookie, params: { id }, headers: handler === approve ? await passkeyHeader(id, cookie) : {} });

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  approver = await makeUser({ role: "approver", organizationId: owner.organizationId });
  viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
  outsider = await makeUser();
  for (const u of [owner, approver]) {
    const a = new SoftAuthenticator();
    await a.register(u.user.id);
    passkeys.set(u.cookie, a);
  }
  s = await createDealtSigner(owner, 31337, "Approval bot");
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: s.signer.address, value: parseEther("5") }) });
  expect((await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { type: "daily_limit", config: { maxAmount: (2n * ETH).toString() } } })).status).toBe(201);
  await activateRules(owner.organizationId, s.signer.id, [
          { id: "big-payments", description: "Payments above 0.1 ETH need a human", when: { field: "value", op: "gt", value: (ETH / 10n).toString() }, action: "require_approval" },
          { id: "messages", when: { field: "kind", op: "eq", value: "message" }, action: "require_approval" },
        ]);
  agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: agentFetch, approvalPoll: { initialMs: 20, maxMs: 100 } });
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("a session parked for approval", () => {
  let parked: { sessionId: string; signingRequestId: string; sid: string; messageHash: Hex; signers: number[]; identities: Record<string, string> };

  it("answers 202 pending_approval; rounds answer 409; the status endpoint says pending_approval", async () => {
    const r = await start(alice, (5n * ETH) / 10n);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: "pending_approval", messages: [], approvals: ['Rule "big-payments" requires approval: Payments above 0.1 ETH need a human'] });
    expect(r.json.transaction).toMatchObject({ to: alice.toLowerCase(), value: ((5n * ETH) / 10n).toString() });
    parked = r.json;
    const round = await call(signRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: parked.sessionId, seq: 1, messages: [] } });
    expect(round.status).toBe(409);
    expect(round.json.message).toContain("waiting for approval");
    const status = await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: parked.sessionId } });
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ sessionId: parked.sessionId, status: "pending_approval", signingRequestId: parked.signingRequestId, requestStatus: "pending_approval", messages: [] });
  });

  it("shows up in the approval queue; viewers cannot decide; other organizations see 404", async () => {
    const queue = await call(listRequests, "GET", "/x", { cookie: viewer.cookie, query: { status: "pending_approval" } });
    expect(queue.status).toBe(200);
    expect(queue.json.items).toHaveLength(1);
    expect(queue.json.items[0]).toMatchObject({
      id: parked.signingRequestId,
      signerId: s.signer.id,
      signerName: "Approval bot",
      mode: "signer_server",
      kind: "transaction",
      outcome: "require_approval",
      status: "pending_approval",
      request: { to: getAddress(alice), value: ((5n * ETH) / 10n).toString(), selector: null, tokenAction: null, messagePreview: null },
      violations: [],
      approvals: [expect.stringContaining("big-payments")],
      ceremonyId: parked.sessionId,
      sessionStatus: "pending_approval",
      txHash: null,
      decidedBy: null,
    });
    expect(queue.json.items[0].evaluated.policies).toHaveLength(1);
    expect(queue.json.items[0].evaluated.document).toMatchObject({ version: 1 });
    expect((await decide(approve, parked.signingRequestId, viewer.cookie)).status).toBe(403);
    expect((await decide(reject, parked.signingRequestId, viewer.cookie)).status).toBe(403);
    expect((await call(getRequest, "GET", "/x", { cookie: outsider.cookie, params: { id: parked.signingRequestId } })).status).toBe(404);
    expect((await decide(approve, parked.signingRequestId, outsider.cookie)).status).toBe(404);
    expect((await decide(reject, parked.signingRequestId, outsider.cookie)).status).toBe(404);
    expect((await call(listRequests, "GET", "/x", { cookie: outsider.cookie })).json.items).toEqual([]);
    expect((await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: "00000000-0000-4000-8000-000000000000" } })).status).toBe(404);
    expect((await call(listRequests, "GET", "/x", { cookie: viewer.cookie, query: { status: "maybe" } })).status).toBe(400);
    expect((await call(listRequests, "GET", "/x", { cookie: viewer.cookie, query: { cursor: "nope" } })).status).toBe(400);
  });

  it("approve is bound to a passkey assertion for this request (401 without, 403 for another request's)", async () => {
    const other = await start(alice, (3n * ETH) / 10n);
    expect(other.status).toBe(202);
    const bare = await call(approve, "POST", "/x", { cookie: approver.cookie, params: { id: parked.signingRequestId } });
    expect(bare.status).toBe(401);
    expect(bare.json.message).toMatch(/passkey/);
    const wrong = await call(approve, "POST", "/x", { cookie: approver.cookie, params: { id: parked.signingRequestId }, headers: await passkeyHeader(parked.signingRequestId, approver.cookie, other.json.signingRequestId) });
    expect(wrong.status).toBe(403);
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: parked.signingRequestId } })).status).toBe("pending_approval");
    expect((await call(challenge, "POST", "/x", { cookie: outsider.cookie, body: { signingRequestId: parked.signingRequestId } })).status).toBe(404);
    // A plain native transfer at or below the organization's threshold needs no passkey.
    expect((await call(patchApprovalSettings, "PATCH", "/x", { cookie: owner.cookie, body: { passkeyThresholdWei: ETH.toString() } })).status).toBe(200);
    const small = await call(approve, "POST", "/x", { cookie: approver.cookie, params: { id: other.json.signingRequestId } });
    expect(small.status).toBe(200);
    expect((await call(patchApprovalSettings, "PATCH", "/x", { cookie: owner.cookie, body: { passkeyThresholdWei: "0" } })).status).toBe(200);
    expect((await decide(reject, other.json.signingRequestId, approver.cookie)).status).toBe(409);
    // Let the opened session lapse so its 0.3 ETH reservation is released for the tests below.
    await db().ceremony.update({ where: { id: other.json.sessionId }, data: { expiresAt: new Date(0) } });
  });

  it("approve: the server's party runs, the session opens, the rounds sign and the broadcast commits", async () => {
    const ok = await decide(approve, parked.signingRequestId, approver.cookie);
    expect(ok.status).toBe(200);
    expect(ok.json.signingRequest).toMatchObject({ status: "reserved", sessionStatus: "open", decidedBy: { id: approver.user.id } });
    expect((await decide(approve, parked.signingRequestId, approver.cookie)).status).toBe(409);
    const status = await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: parked.sessionId } });
    expect(status.json.status).toBe("open");
    expect(status.json.messages.length).toBeGreaterThan(0);
    const party = localSignParty({ share: s.agentShare, signers: parked.signers, messageHash: parked.messageHash.slice(2), sid: parked.sid, profile: FAST_TEST, identities: parked.identities, identity: agentIdentityOf(s) });
    const post = async (body: object) => {
      const r = await call(signRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: parked.sessionId, ...body } });
      if (r.status !== 200) throw new Error(`round ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json;
    };
    await driveCeremony({ transport: { submit: ({ seq, messages, after }) => post({ seq, messages, after }), poll: ({ after }) => post({ seq: 0, messages: [], after }) }, parties: [party], initial: status.json.messages });
    const done = await call(signComplete, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: parked.sessionId } });
    expect(done.status).toBe(200);
    expect((await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: done.json.txHash })).status).toBe("success");
    const after = await call(getRequest, "GET", "/x", { cookie: viewer.cookie, params: { id: parked.signingRequestId } });
    expect(after.json.signingRequest).toMatchObject({ status: "committed", txHash: done.json.txHash, sessionStatus: "completed" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "signing.approved", resourceId: parked.signingRequestId } });
    expect(audit).toMatchObject({ actorType: "user", actorId: approver.user.id });
    expect((audit.details as { policies: unknown[] }).policies).toHaveLength(1);
    // The policy's require_approval and the human's answer are both leaves of the transparency log (issue #14).
    const leaves = (await db().tlogEntry.findMany({ where: { decisionId: parked.signingRequestId }, orderBy: { seq: "asc" } })).map((e) => JSON.parse(Buffer.from(e.event!).toString("utf8")));
    expect(leaves.map((l) => [l.kind, l.decision])).toEqual([["signing.decision", "require_approval"], ["signing.human_decision", "approved"]]);
    expect(leaves[1]).toMatchObject({ actor: { type: "user", id: approver.user.id } });
  });

  it("the SDK waits for the approver, then signs and broadcasts", async () => {
    const waiting: string[] = [];
    const waiter = new CountersignAgent({
      baseUrl: "http://localhost:3000",
      apiKey: s.apiKey,
      share: s.agentShare,
      identity: s.agentIdentity,
      profile: FAST_TEST,
      fetch: agentFetch,
      approvalPoll: { initialMs: 20, maxMs: 100 },
      onPendingApproval: (p) => {
        waiting.push(p.signingRequestId);
        void decide(approve, p.signingRequestId, approver.cookie);
      },
    });
    const sent = await waiter.sendTransaction({ to: alice, value: (3n * ETH) / 10n });
    expect(waiting).toHaveLength(1);
    expect((await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: sent.txHash })).status).toBe("success");
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: waiting[0]! } })).status).toBe("committed");
  });

  it("reject: the session ends, its spend is released, and the SDK throws a typed error", async () => {
    // 0.8 ETH committed today; a parked 1.0 ETH request holds its reservation until decided
    const big = await start(alice, ETH);
    expect(big.status).toBe(202);
    const over = await start(alice, (3n * ETH) / 10n);
    expect(over.status).toBe(403);
    expect(over.json.violations[0].message).toContain("1.8 ETH already spent");
    const rejected = await decide(reject, big.json.signingRequestId, approver.cookie);
    expect(rejected.status).toBe(200);
    expect(rejected.json.signingRequest).toMatchObject({ status: "rejected", sessionStatus: "rejected", decidedBy: { id: approver.user.id } });
    expect((await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: big.json.sessionId } })).json.status).toBe("rejected");
    expect((await call(signRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: big.json.sessionId, seq: 1, messages: [] } })).status).toBe(200);
    expect((await decide(approve, big.json.signingRequestId, approver.cookie)).status).toBe(409);
    expect((await start(alice, (3n * ETH) / 10n)).status).toBe(202);
    expect(await db().auditEvent.count({ where: { action: "signing.rejected", resourceId: big.json.signingRequestId } })).toBe(1);
    expect((await db().tlogEntry.findMany({ where: { decisionId: big.json.signingRequestId }, orderBy: { seq: "asc" } })).map((e) => JSON.parse(Buffer.from(e.event!).toString("utf8")).decision)).toEqual(["require_approval", "rejected"]);

    const rejecter = new CountersignAgent({
      baseUrl: "http://localhost:3000",
      apiKey: s.apiKey,
      share: s.agentShare,
      identity: s.agentIdentity,
      profile: FAST_TEST,
      fetch: agentFetch,
      approvalPoll: { initialMs: 20, maxMs: 100 },
      onPendingApproval: (p) => void decide(reject, p.signingRequestId, owner.cookie),
    });
    const err = await rejecter.signMessage("let me in").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApprovalRejectedError);
    expect((err as ApprovalRejectedError).status).toBe("rejected");
  });

  it("an approval that comes after the parked session expired is refused (410) and the spend is released", async () => {
    const r = await start(alice, (2n * ETH) / 10n);
    expect(r.status).toBe(202);
    await db().ceremony.update({ where: { id: r.json.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: r.json.sessionId } })).json.status).toBe("expired");
    expect((await decide(approve, r.json.signingRequestId, approver.cookie)).status).toBe(410);
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: r.json.signingRequestId } })).status).toBe("released");
  });

  it("messages can be approved too: the SDK's signature recovers to the signer", async () => {
    const waiter = new CountersignAgent({
      baseUrl: "http://localhost:3000",
      apiKey: s.apiKey,
      share: s.agentShare,
      identity: s.agentIdentity,
      profile: FAST_TEST,
      fetch: agentFetch,
      approvalPoll: { initialMs: 20, maxMs: 100 },
      onPendingApproval: (p) => void decide(approve, p.signingRequestId, owner.cookie),
    });
    const m = await waiter.signMessage("approved hello");
    expect(await recoverMessageAddress({ message: "approved hello", signature: m.signature })).toBe(s.signer.address);
    const row = await db().signingRequest.findFirstOrThrow({ where: { signerId: s.signer.id, kind: "message", status: "committed" } });
    expect(row.decidedById).toBe(owner.user.id);
  });
});

describe("User+Server sessions and the approval queue", () => {
  it("parks a dashboard session too; its status endpoint is scoped to the organization", async () => {
    const r = await call(userSession, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { message: "from the dashboard", clientNonce: clientNonce() } });
    expect(r.status).toBe(202);
    expect(r.json.signers).toEqual([1, 2]);
    const st = await call(userSessionStatus, "GET", "/x", { cookie: viewer.cookie, params: { id: s.signer.id, sessionId: r.json.sessionId } });
    expect(st.status).toBe(200);
    expect(st.json).toMatchObject({ status: "pending_approval", party: 2, kind: "message" });
    expect((await call(userSessionStatus, "GET", "/x", { cookie: outsider.cookie, params: { id: s.signer.id, sessionId: r.json.sessionId } })).status).toBe(404);
    expect((await call(userRound, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { sessionId: r.json.sessionId, seq: 1, messages: [] } })).status).toBe(409);
    const got = await call(getRequest, "GET", "/x", { cookie: viewer.cookie, params: { id: r.json.signingRequestId } });
    expect(got.json.signingRequest).toMatchObject({ mode: "user_server", kind: "message", request: { messagePreview: "from the dashboard" } });
  });

  it("pages through every decision with an opaque cursor, filtered by signer", async () => {
    const all = await db().signingRequest.count({ where: { signerId: s.signer.id } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(listRequests, "GET", "/x", { cookie: viewer.cookie, query: { signerId: s.signer.id, limit: "3", ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((i: { id: string }) => i.id));
      cursor = page.json.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(all);
  });
});
