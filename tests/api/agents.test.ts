import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST } from "@/lib/mpc";
import { localSignParty } from "@/lib/signing/local-party";
import { driveCeremony } from "@/lib/signing/driver";
import { assertAgentActive } from "@/lib/agents/kill-switch";
import { GET as listAgents, POST as createAgent } from "@/app/api/v1/agents/route";
import { GET as getAgent, PATCH as patchAgent, DELETE as retireAgent } from "@/app/api/v1/agents/[id]/route";
import { POST as pauseAgent } from "@/app/api/v1/agents/[id]/pause/route";
import { POST as resumeAgent } from "@/app/api/v1/agents/[id]/resume/route";
import { PUT as attachSigner } from "@/app/api/v1/agents/[id]/signers/[signerId]/route";
import { POST as createSigner } from "@/app/api/v1/signers/route";
import { GET as ownSigner } from "@/app/api/v1/signer/route";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { POST as agentRound } from "@/app/api/v1/sign/round/route";
import { POST as userSession } from "@/app/api/v1/signers/[id]/sign/session/route";
import { POST as userRound } from "@/app/api/v1/signers/[id]/sign/round/route";
import { POST as pair } from "@/app/api/v1/approvals/agents/route";
import { GET as pairingInfo } from "@/app/api/pairing-info/route";
import { POST as submitRequest } from "@/app/api/requests/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { activateRules, agentIdentityOf, createDealtSigner } from "../helpers/signer";

useTestDatabase();

let owner: Awaited<ReturnType<typeof makeUser>>;
let viewer: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let n = 0;
const nonce = () => (0xa9e7 + ++n).toString(16).padStart(64, "0");

beforeAll(async () => {
  await syncNetworks(db(), configuredNetworks({}));
  owner = await makeUser();
  viewer = await makeUser({ organizationId: owner.organizationId, role: "viewer" });
  other = await makeUser();
  s = await createDealtSigner(owner, 31337, "Payroll bot");
}, 600_000);

const create = (body: unknown, who = owner.cookie) => call(createAgent, "POST", "/api/v1/agents", { cookie: who, body });
const agentIdOf = async (signerId: string) => (await db().signer.findUniqueOrThrow({ where: { id: signerId } })).agentId!;

describe("the Agent registry API", () => {
  it("creates an agent with identifiers, lists and reads it, and audits the change", async () => {
    const r = await create({ name: "Research agent", description: "reads papers", identifiers: { signetSid: "SID-0x0123456789abcdef", aegisAgentId: "research-1", onchain: { chainId: 42220, agentId: "7" }, agentAddress: "0x00000000000000000000000000000000000000a1" } });
    expect(r.status).toBe(201);
    expect(r.json.agent).toMatchObject({ name: "Research agent", status: "active", signerCount: 0, identifiers: { signetSid: "SID-0x0123456789abcdef", aegisAgentId: "research-1", onchain: { chainId: 42220, agentId: "7" } } });
    const list = await call(listAgents, "GET", "/api/v1/agents", { cookie: viewer.cookie });
    expect(list.status).toBe(200);
    expect(list.json.items.map((a: { id: string }) => a.id)).toContain(r.json.agent.id);
    const one = await call(getAgent, "GET", "/x", { cookie: viewer.cookie, params: { id: r.json.agent.id } });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ signers: [], toolCalls: { allowedTools: null, recent: [] }, trustScore: null });
    const audit = await db().auditEvent.findFirst({ where: { action: "agent.created", resourceId: r.json.agent.id } });
    expect(audit?.organizationId).toBe(owner.organizationId);
  });

  it("paginates newest first with an opaque cursor", async () => {
    for (const name of ["p1", "p2", "p3"]) expect((await create({ name })).status).toBe(201);
    const first = await call(listAgents, "GET", "/api/v1/agents", { cookie: owner.cookie, query: { limit: "2" } });
    expect(first.json.items.map((a: { name: string }) => a.name)).toEqual(["p3", "p2"]);
    const next = await call(listAgents, "GET", "/api/v1/agents", { cookie: owner.cookie, query: { limit: "2", cursor: first.json.nextCursor } });
    expect(next.json.items[0].name).toBe("p1");
    expect((await call(listAgents, "GET", "/api/v1/agents", { cookie: owner.cookie, query: { cursor: "bogus" } })).status).toBe(400);
  });

  it("answers bad input with a 400 naming the field and taken identifiers with a 409, never a 500", async () => {
    const bad = await create({ name: "x", identifiers: { signetSid: "SID-0xABCDEF" } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations[0].field).toBe("body.identifiers.signetSid");
    expect((await create({ name: "" })).status).toBe(400);
    expect((await create({ name: "x", extra: 1 })).status).toBe(400);
    expect((await create({ name: "x", identifiers: { aegisAgentId: "a".repeat(129) } })).status).toBe(400);
    expect((await create({ name: "x", ownerId: other.user.id })).json).toMatchObject({ statusCode: 400, message: "The owner must be a member of this organization" });
    const taken = await create({ name: "dup", identifiers: { signetSid: "SID-0x0123456789abcdef" } });
    expect(taken.status).toBe(409);
    expect(taken.json.message).toMatch(/signetSid/);
    // aegis agent_id is unique per organization only
    expect((await create({ name: "dup", identifiers: { aegisAgentId: "research-1" } })).status).toBe(409);
    expect((await create({ name: "elsewhere", identifiers: { aegisAgentId: "research-1" } }, other.cookie)).status).toBe(201);
    expect((await call(getAgent, "GET", "/x", { cookie: owner.cookie, params: { id: "not-a-uuid" } })).status).toBe(400);
  });

  it("updates and retires; a retired agent cannot be changed or resumed", async () => {
    const a = (await create({ name: "temp" })).json.agent;
    const p = await call(patchAgent, "PATCH", "/x", { cookie: owner.cookie, params: { id: a.id }, body: { name: "renamed", identifiers: { aegisAgentId: "temp-1" } } });
    expect(p.json.agent).toMatchObject({ name: "renamed", identifiers: { aegisAgentId: "temp-1" } });
    const cleared = await call(patchAgent, "PATCH", "/x", { cookie: owner.cookie, params: { id: a.id }, body: { identifiers: { aegisAgentId: null } } });
    expect(cleared.json.agent.identifiers.aegisAgentId).toBeNull();
    expect((await call(patchAgent, "PATCH", "/x", { cookie: owner.cookie, params: { id: a.id }, body: {} })).status).toBe(400);
    const r = await call(retireAgent, "DELETE", "/x", { cookie: owner.cookie, params: { id: a.id } });
    expect(r.status).toBe(200);
    expect(r.json.agent.status).toBe("retired");
    expect((await call(resumeAgent, "POST", "/x", { cookie: owner.cookie, params: { id: a.id } })).status).toBe(409);
    expect((await call(patchAgent, "PATCH", "/x", { cookie: owner.cookie, params: { id: a.id }, body: { name: "again" } })).status).toBe(409);
  });

  it("authorizes route × principal: other organizations see 404, viewers read only, signer keys manage nothing", async () => {
    const a = (await create({ name: "guarded" })).json.agent;
    const params = { id: a.id };
    expect((await call(getAgent, "GET", "/x", { cookie: other.cookie, params })).status).toBe(404);
    expect((await call(pauseAgent, "POST", "/x", { cookie: other.cookie, params })).status).toBe(404);
    expect((await call(listAgents, "GET", "/x", { cookie: other.cookie })).json.items.map((x: { id: string }) => x.id)).not.toContain(a.id);
    const v = await call(pauseAgent, "POST", "/x", { cookie: viewer.cookie, params });
    expect(v.status).toBe(403);
    expect(v.json.message).toMatch(/agents:manage/);
    expect((await create({ name: "by viewer" }, viewer.cookie)).status).toBe(403);
    // the signer's own API key (scope "sign") can neither read nor manage the registry
    expect((await call(getAgent, "GET", "/x", { apiKey: s.apiKey, params })).status).toBe(403);
    expect((await call(pauseAgent, "POST", "/x", { apiKey: s.apiKey, params })).status).toBe(403);
    const readKey = await makeApiKey(owner.organizationId, ["agents:read"]);
    expect((await call(getAgent, "GET", "/x", { apiKey: readKey.secret, params })).status).toBe(200);
    expect((await call(pauseAgent, "POST", "/x", { apiKey: readKey.secret, params })).status).toBe(403);
    const otherKey = await makeApiKey(other.organizationId, ["agents:read", "agents:manage"]);
    expect((await call(getAgent, "GET", "/x", { apiKey: otherKey.secret, params })).status).toBe(404);
    expect((await call(listAgents, "GET", "/x")).status).toBe(401);
  });
});

describe("signers and pairings belong to agents", () => {
  it("a new signer gets an agent named after it, or joins the agent it names", async () => {
    const agentId = await agentIdOf(s.signer.id);
    const agent = await db().agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(agent).toMatchObject({ name: "Payroll bot", organizationId: owner.organizationId, ownerId: owner.user.id });
    const target = (await create({ name: "Treasury" })).json.agent;
    const r = await call(createSigner, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "second key", chainId: 31337, clientNonce: nonce(), agentId: target.id } });
    expect(r.status).toBe(201);
    expect(r.json.signer.agentId).toBe(target.id);
    const foreign = (await create({ name: "theirs" }, other.cookie)).json.agent;
    const refused = await call(createSigner, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "x", chainId: 31337, clientNonce: nonce(), agentId: foreign.id } });
    expect(refused.status).toBe(400);
    expect(refused.json.violations).toEqual([{ field: "body.agentId", message: "Unknown agent" }]);
    // the signer's own view names its agent
    const own = (await call(ownSigner, "GET", "/x", { apiKey: s.apiKey })).json;
    expect(own.signer.agentId).toBe(agentId);
    expect(own.agent).toMatchObject({ id: agentId, name: "Payroll bot", status: "active" });
  });

  it("attaches a signer to another agent (audited), and back", async () => {
    const from = await agentIdOf(s.signer.id);
    const to = (await create({ name: "Holding" })).json.agent;
    const r = await call(attachSigner, "PUT", "/x", { cookie: owner.cookie, params: { id: to.id, signerId: s.signer.id } });
    expect(r.status).toBe(200);
    expect(r.json.agent.signerIds).toEqual([s.signer.id]);
    expect(await agentIdOf(s.signer.id)).toBe(to.id);
    const ev = await db().auditEvent.findFirst({ where: { action: "agent.signer_attached", resourceId: to.id } });
    expect(ev?.details).toMatchObject({ signerId: s.signer.id, previousAgentId: from });
    expect((await call(attachSigner, "PUT", "/x", { cookie: viewer.cookie, params: { id: from, signerId: s.signer.id } })).status).toBe(403);
    expect((await call(attachSigner, "PUT", "/x", { cookie: owner.cookie, params: { id: from, signerId: "00000000-0000-4000-8000-000000000000" } })).status).toBe(404);
    expect((await call(attachSigner, "PUT", "/x", { cookie: owner.cookie, params: { id: from, signerId: s.signer.id } })).status).toBe(200);
    expect(await agentIdOf(s.signer.id)).toBe(from);
  });

  it("a relay pairing joins its signer's agent", async () => {
    const r = await call(pair, "POST", "/x", { cookie: owner.cookie, body: { mode: "relay", signerId: s.signer.id } });
    expect(r.status).toBe(201);
    expect(r.json.agent.agentRecordId).toBe(await agentIdOf(s.signer.id));
    pairingToken = r.json.token;
    const detail = await call(getAgent, "GET", "/x", { cookie: owner.cookie, params: { id: await agentIdOf(s.signer.id) } });
    expect(detail.json.pairings.map((p: { id: string }) => p.id)).toEqual([r.json.agent.id]);
    expect(detail.json.credentials.map((c: { prefix: string }) => c.prefix)).toEqual([expect.stringMatching(/^css_/)]);
  });
});

let pairingToken: string;

describe("pausing an agent is a kill switch", () => {
  const agentMsg = () => call(messageSession, "POST", "/api/v1/sign-message/session", { apiKey: s.apiKey, body: { message: `hello ${++n}`, clientNonce: nonce(), identityKey: agentIdentityOf(s).publicKey } });

  it("aborts open sessions and releases their spend, then refuses agent sessions, user rounds and seed 004 requests; resume re-enables", async () => {
    const agentId = await agentIdOf(s.signer.id);
    const open = await agentMsg();
    expect(open.status).toBe(201);
    const user = await call(userSession, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { message: "user side", clientNonce: nonce() } });
    expect(user.status).toBe(201);

    const paused = await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId } });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ agent: { status: "paused" }, abortedSessions: 2 });
    for (const id of [open.json.sessionId, user.json.sessionId]) {
      expect((await db().ceremony.findUniqueOrThrow({ where: { id } })).status).toBe("aborted");
      expect((await db().signingRequest.findFirstOrThrow({ where: { ceremonyId: id } })).status).toBe("released");
    }
    const audit = await db().auditEvent.findFirst({ where: { action: "agent.paused", resourceId: agentId } });
    expect((audit?.details as { abortedSessions: string[] }).abortedSessions.sort()).toEqual([open.json.sessionId, user.json.sessionId].sort());
    expect((await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId } })).status).toBe(409);

    // agent SDK path: a new session is refused and the refusal audited
    const refused = await agentMsg();
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ statusCode: 403, message: "Agent is paused" });
    expect(await db().auditEvent.count({ where: { action: "signing.refused", resourceId: s.signer.id, outcome: "denied" } })).toBeGreaterThan(0);
    // user session path: opening and a round of the (aborted) session are refused
    expect((await call(userSession, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { message: "again", clientNonce: nonce() } })).json.message).toBe("Agent is paused");
    const round = await call(userRound, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { sessionId: user.json.sessionId, seq: 1, messages: [], after: "0" } });
    expect(round.status).toBe(403);
    expect(round.json.message).toBe("Agent is paused");
    expect((await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: open.json.sessionId, seq: 1, messages: [], after: "0" } })).json.message).toBe("Agent is paused");
    // seed 004: the paired agent's calls answer in the error family
    const req = await call(submitRequest, "POST", "/api/requests", { headers: { authorization: `Bearer ${pairingToken}` }, body: { draftId: "drf_missing", signer: s.signer.address, signature: "0x00" } });
    expect(req.status).toBe(403);
    expect(req.json).toEqual({ error: "Agent is paused" });
    expect((await call(pairingInfo, "GET", "/api/pairing-info", { query: { agent: s.signer.address }, headers: { authorization: `Bearer ${pairingToken}` } })).json).toEqual({ error: "Agent is paused" });
    // the gateway's verdict
    expect(await assertAgentActive(db(), owner.organizationId, { id: agentId })).toEqual({ decision: "block", agentId, reason: "agent paused" });

    const resumed = await call(resumeAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId } });
    expect(resumed.json).toMatchObject({ agent: { status: "active", pausedAt: null }, abortedSessions: 0 });
    expect(await assertAgentActive(db(), owner.organizationId, { id: agentId })).toEqual({ decision: "allow", agentId });
    expect(await assertAgentActive(db(), other.organizationId, { id: agentId })).toBeNull();
    expect((await call(submitRequest, "POST", "/api/requests", { headers: { authorization: `Bearer ${pairingToken}` }, body: { draftId: "drf_missing", signer: s.signer.address, signature: "0x00" } })).status).not.toBe(403);

    // and signing works again, end to end
    const again = await agentMsg();
    expect(again.status).toBe(201);
    const party = localSignParty({ share: s.agentShare, signers: again.json.signers, messageHash: again.json.messageHash.slice(2), sid: again.json.sid, profile: FAST_TEST, identities: again.json.identities, identity: agentIdentityOf(s) });
    const post = async (body: object) => (await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: again.json.sessionId, ...body } })).json;
    await driveCeremony({ transport: { submit: ({ seq, messages, after }) => post({ seq, messages, after }), poll: ({ after }) => post({ seq: 0, messages: [], after }) }, parties: [party], initial: again.json.messages });
    expect((await db().ceremony.findUniqueOrThrow({ where: { id: again.json.sessionId } })).status).toBe("completed");
  }, 120_000);

  it("looks an agent up by its AEGIS agent_id for the gateway", async () => {
    const a = (await create({ name: "gw", identifiers: { aegisAgentId: "gw-agent" } })).json.agent;
    await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: a.id } });
    expect(await assertAgentActive(db(), owner.organizationId, { aegisAgentId: "gw-agent" })).toEqual({ decision: "block", agentId: a.id, reason: "agent paused" });
    expect(await assertAgentActive(db(), owner.organizationId, { aegisAgentId: "nobody" })).toBeNull();
  });

  it("aborts parked sessions (waiting for approval) too and releases their reserved spend", async () => {
    const agentId = await agentIdOf(s.signer.id);
    await activateRules(owner.organizationId, s.signer.id, [{ id: "messages", when: { field: "kind", op: "eq", value: "message" }, action: "require_approval" }]);
    const parked = await agentMsg();
    expect(parked.status).toBe(202);
    expect(parked.json.status).toBe("pending_approval");
    const paused = await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId } });
    expect(paused.json.abortedSessions).toBe(1);
    expect((await db().ceremony.findUniqueOrThrow({ where: { id: parked.json.sessionId } })).status).toBe("aborted");
    expect((await db().signingRequest.findFirstOrThrow({ where: { ceremonyId: parked.json.sessionId } })).status).toBe("released");
    expect((await call(resumeAgent, "POST", "/x", { cookie: owner.cookie, params: { id: agentId } })).status).toBe(200);
  });
});
