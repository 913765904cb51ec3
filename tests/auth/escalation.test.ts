/**
 * Privilege escalation and machine-principal confinement (issue #12, least privilege), as concrete
 * regression tests next to the generic matrix (tests/auth/access-matrix.test.ts): an admin never
 * becomes or touches the owner, an approver changes no policy, member or key, a viewer acts on
 * nothing, nobody raises their own role; signer keys, seed 004 agent keys and agent tokens see only
 * what concerns themselves.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as addMember } from "@/app/api/v1/members/route";
import { PATCH as patchMember, DELETE as deleteMember } from "@/app/api/v1/members/[userId]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/api-keys/route";
import { DELETE as revokeKey } from "@/app/api/v1/api-keys/[id]/route";
import { POST as createPolicy } from "@/app/api/v1/signers/[id]/policies/route";
import { PATCH as patchPolicy, DELETE as deletePolicy } from "@/app/api/v1/policies/[id]/route";
import { PUT as putPolicyDoc } from "@/app/api/v1/signers/[id]/policy/route";
import { POST as activatePolicy } from "@/app/api/v1/signers/[id]/policy/activate/route";
import { PATCH as patchSettings, GET as getSettings } from "@/app/api/v1/approvals/settings/route";
import { GET as listPairings } from "@/app/api/v1/approvals/agents/route";
import { GET as listDescriptors } from "@/app/api/v1/clearsign/descriptors/route";
import { GET as listRequests } from "@/app/api/requests/route";
import { GET as getRequest } from "@/app/api/requests/[id]/route";
import { GET as pairingInfo } from "@/app/api/pairing-info/route";
import { GET as listSigners } from "@/app/api/v1/signers/route";
import { GET as getSigner } from "@/app/api/v1/signer/route";
import { GET as listAgents, POST as createAgent } from "@/app/api/v1/agents/route";
import { GET as getAgent } from "@/app/api/v1/agents/[id]/route";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { POST as approve } from "@/app/api/v1/signing-requests/[id]/approve/route";
import { AGENT_SUBJECT } from "@/lib/approvals/agents";
import { mintAgentToken } from "@/lib/agents/tokens/tokens";
import { issueCredential } from "@/lib/auth/credentials";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

type User = Awaited<ReturnType<typeof makeUser>>;
let owner: User, admin: User, approver: User, viewer: User;
let org: string;
let signerId: string;
let policyId: string;

const roleOf = async (u: User) => (await db().membership.findFirstOrThrow({ where: { organizationId: org, userId: u.user.id } })).role;

beforeAll(async () => {
  owner = await makeUser();
  org = owner.organizationId;
  admin = await makeUser({ organizationId: org, role: "admin" });
  approver = await makeUser({ organizationId: org, role: "approver" });
  viewer = await makeUser({ organizationId: org, role: "viewer" });
  signerId = (await db().signer.create({ data: { organizationId: org, name: "s", chainId: 31337, status: "active" } })).id;
  const p = await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: signerId }, body: { type: "spending_limit", config: { maxAmount: "1000000000000000000" } } });
  expect(p.status).toBe(201);
  policyId = p.json.policy.id;
});

describe("privilege escalation", () => {
  it("an admin cannot make itself or anyone owner, change the owner's role, or remove the owner", async () => {
    const self = await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: admin.user.id }, body: { role: "owner" } });
    expect(self.status).toBe(403);
    expect((await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: viewer.user.id }, body: { role: "owner" } })).status).toBe(403);
    for (const role of ["admin", "approver", "viewer"]) {
      expect((await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: owner.user.id }, body: { role } })).status, role).toBe(403);
    }
    expect((await call(deleteMember, "DELETE", "/x", { cookie: admin.cookie, params: { userId: owner.user.id } })).status).toBe(403);
    // nor by inviting: neither a new address nor an existing verified account joins as owner
    const outsider = await makeUser();
    for (const email of [`new-${randomUUID().slice(0, 8)}@example.com`, outsider.user.email!]) {
      expect((await call(addMember, "POST", "/x", { cookie: admin.cookie, body: { email, role: "owner" } })).status, email).toBe(403);
    }
    expect(await roleOf(admin)).toBe("admin");
    expect(await roleOf(owner)).toBe("owner");
    expect(await roleOf(viewer)).toBe("viewer");
    expect(await db().membership.count({ where: { organizationId: org, role: "owner" } })).toBe(1);
    expect(await db().invitation.count({ where: { organizationId: org, role: "owner" } })).toBe(0);
    // what an admin may do still works: manage the other non-owners
    expect((await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: viewer.user.id }, body: { role: "approver" } })).status).toBe(200);
    expect((await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: viewer.user.id }, body: { role: "viewer" } })).status).toBe(200);
  });

  it("the owner may hand over ownership, but the last owner never goes", async () => {
    expect((await call(patchMember, "PATCH", "/x", { cookie: owner.cookie, params: { userId: owner.user.id }, body: { role: "admin" } })).status).toBe(409);
    expect((await call(deleteMember, "DELETE", "/x", { cookie: owner.cookie, params: { userId: owner.user.id } })).status).toBe(409);
    expect(await roleOf(owner)).toBe("owner");
  });

  it("no member raises its own role", async () => {
    for (const [u, roles] of [
      [viewer, ["approver", "admin", "owner"]],
      [approver, ["admin", "owner"]],
      [admin, ["owner"]],
    ] as const) {
      const before = await roleOf(u);
      for (const role of roles) expect((await call(patchMember, "PATCH", "/x", { cookie: u.cookie, params: { userId: u.user.id }, body: { role } })).status, `${before} → ${role}`).toBe(403);
      expect(await roleOf(u)).toBe(before);
    }
  });

  it("an approver cannot create, change, activate or delete policies, members or API keys, nor the approval settings", async () => {
    const as = { cookie: approver.cookie };
    const refused = [
      await call(createPolicy, "POST", "/x", { ...as, params: { id: signerId }, body: { type: "spending_limit", config: { maxAmount: "1" } } }),
      await call(patchPolicy, "PATCH", "/x", { ...as, params: { id: policyId }, body: { enabled: false } }),
      await call(deletePolicy, "DELETE", "/x", { ...as, params: { id: policyId } }),
      await call(putPolicyDoc, "PUT", "/x", { ...as, params: { id: signerId }, body: { rules: [] } }),
      await call(activatePolicy, "POST", "/x", { ...as, params: { id: signerId }, body: {} }),
      await call(patchSettings, "PATCH", "/x", { ...as, body: { passkeyThresholdWei: "1" } }),
      await call(addMember, "POST", "/x", { ...as, body: { email: "x@example.com", role: "viewer" } }),
      await call(patchMember, "PATCH", "/x", { ...as, params: { userId: viewer.user.id }, body: { role: "admin" } }),
      await call(deleteMember, "DELETE", "/x", { ...as, params: { userId: viewer.user.id } }),
      await call(listKeys, "GET", "/x", as),
      await call(createKey, "POST", "/x", { ...as, body: { name: "mine", scopes: ["audit:read"] } }),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));
    const policy = await db().policy.findUniqueOrThrow({ where: { id: policyId } });
    expect([policy.enabled, policy.deletedAt, policy.version]).toEqual([true, null, 1]);
    expect(await db().credential.count({ where: { organizationId: org, name: "mine" } })).toBe(0);
    expect(await roleOf(viewer)).toBe("viewer");
    // what an approver may do: read, and decide (a missing request is a 404, not a 403)
    expect((await call(auditLog, "GET", "/x", as)).status).toBe(200);
    expect((await call(approve, "POST", "/x", { ...as, params: { id: randomUUID() }, body: {} })).status).not.toBe(403);
  });

  it("a viewer acts on nothing: no approval, agent, key, member or policy change", async () => {
    const as = { cookie: viewer.cookie };
    const refused = [
      await call(approve, "POST", "/x", { ...as, params: { id: randomUUID() }, body: {} }),
      await call(createAgent, "POST", "/x", { ...as, body: { name: "nope" } }),
      await call(createKey, "POST", "/x", { ...as, body: { name: "nope", scopes: ["audit:read"] } }),
      await call(patchPolicy, "PATCH", "/x", { ...as, params: { id: policyId }, body: { enabled: false } }),
      await call(addMember, "POST", "/x", { ...as, body: { email: "y@example.com", role: "viewer" } }),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));
    expect(await db().agent.count({ where: { organizationId: org, name: "nope" } })).toBe(0);
  });

  it("an API key never manages members or keys, and a key cannot be minted with a role-only scope", async () => {
    const key = await issueCredential(db(), { organizationId: org, kind: "organization_key", name: "k", scopes: ["org:read", "audit:read"] });
    expect((await call(createKey, "POST", "/x", { apiKey: key.secret, body: { name: "k2", scopes: ["audit:read"] } })).status).toBe(401);
    expect((await call(addMember, "POST", "/x", { apiKey: key.secret, body: { email: "z@example.com", role: "admin" } })).status).toBe(401);
    expect((await call(revokeKey, "DELETE", "/x", { apiKey: key.secret, params: { id: key.credential.id } })).status).toBe(401);
    for (const scope of ["members:manage", "api_keys:manage", "approvals:decide", "sign"]) {
      expect((await call(createKey, "POST", "/x", { cookie: admin.cookie, body: { name: "k3", scopes: [scope] } })).status, scope).toBe(400);
    }
  });
});

describe("machine principals see only what concerns themselves", () => {
  let pairing: { id: string; address: string };
  let otherPairing: { id: string; address: string };
  let agentKey: string;
  let otherRequestId: string;

  beforeAll(async () => {
    const mk = async (address: string) => db().approvalAgent.create({ data: { id: `agt_${randomUUID().slice(0, 12)}`, organizationId: org, address, mode: "relay", chainId: 31337 } });
    pairing = await mk("0x1111111111111111111111111111111111111111");
    otherPairing = await mk("0x2222222222222222222222222222222222222222");
    agentKey = (await issueCredential(db(), { organizationId: org, kind: "agent_token", name: "pairing key", scopes: ["approvals:read"], subjectType: AGENT_SUBJECT, subjectId: pairing.id })).secret;
    const request = async (agentId: string) =>
      (
        await db().approvalRequest.create({
          data: { id: `req_${randomUUID().slice(0, 12)}`, organizationId: org, agentId, mode: "safe", status: "pending", chainId: 31337, intent: {}, clearSigning: {}, subjectHash: `0x${"ab".repeat(32)}`, valueWei: "0", agentSignature: "0x" },
        })
      ).id;
    otherRequestId = await request(otherPairing.id);
  });

  it("a seed 004 agent key reads no paired-agent list, approval settings or clear-signing descriptors (403)", async () => {
    for (const [name, h] of [
      ["approvals/agents", listPairings],
      ["approvals/settings", getSettings],
      ["clearsign/descriptors", listDescriptors],
      ["signers", listSigners],
      ["agents", listAgents],
      ["audit-log", auditLog],
    ] as const) {
      const r = await call(h, "GET", `/api/v1/${name}`, { apiKey: agentKey });
      expect(r.status, name).toBe(403);
      expect(r.json.message, name).toMatch(/agent key \(csa_\) only reaches its own pairing/);
    }
  });

  it("a seed 004 agent key reads its own pairing and requests, not another pairing's", async () => {
    expect((await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentKey, query: { agent: pairing.address } })).status).toBe(200);
    expect((await call(pairingInfo, "GET", "/api/pairing-info", { apiKey: agentKey, query: { agent: otherPairing.address } })).status).toBe(404);
    const mine = await call(listRequests, "GET", "/api/requests", { apiKey: agentKey });
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.json)).not.toContain(otherRequestId);
    expect((await call(listRequests, "GET", "/api/requests", { apiKey: agentKey, query: { agent: otherPairing.address } })).status).toBe(404);
    expect((await call(getRequest, "GET", "/api/requests/x", { apiKey: agentKey, params: { id: otherRequestId } })).status).toBe(404);
  });

  it("a signer key reads its own signer, not the organization's signers, agents or audit log", async () => {
    const own = await db().signer.create({ data: { organizationId: org, name: "own", chainId: 31337, status: "active", address: "0x3333333333333333333333333333333333333333" } });
    const key = (await issueCredential(db(), { organizationId: org, kind: "signer_key", name: "sk", scopes: ["sign"], subjectType: "signer", subjectId: own.id })).secret;
    const me = await call(getSigner, "GET", "/api/v1/signer", { apiKey: key });
    expect(me.status).toBe(200);
    expect(me.json.signer?.id ?? me.json.id).toBe(own.id);
    for (const [name, h] of [
      ["signers", listSigners],
      ["agents", listAgents],
      ["audit-log", auditLog],
      ["approvals/agents", listPairings],
    ] as const) {
      const r = await call(h, "GET", `/api/v1/${name}`, { apiKey: key });
      expect(r.status, name).toBe(403);
      expect(r.json.message, name).toMatch(/signer key only co-signs/);
    }
    // even a signer key that somehow carried a read scope is refused: what it is decides, not its scopes
    const widened = (await issueCredential(db(), { organizationId: org, kind: "signer_key", name: "sk2", scopes: ["sign", "signers:read", "audit:read"], subjectType: "signer", subjectId: own.id })).secret;
    expect((await call(listSigners, "GET", "/api/v1/signers", { apiKey: widened })).status).toBe(403);
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: widened })).status).toBe(403);
  });

  it("an agent token reads its own agent only", async () => {
    const mine = await db().agent.create({ data: { organizationId: org, name: "mine" } });
    const other = await db().agent.create({ data: { organizationId: org, name: "other" } });
    const { token } = await mintAgentToken(db(), { agentId: mine.id, organizationId: org, scopes: ["agents:read"], ttlSeconds: 600 });
    const h = { "x-aegis-agent-token": token };
    expect((await call(getAgent, "GET", "/x", { headers: h, params: { id: mine.id } })).status).toBe(200);
    expect((await call(getAgent, "GET", "/x", { headers: h, params: { id: other.id } })).status).toBe(403);
    expect((await call(listAgents, "GET", "/x", { headers: h })).status).toBe(401);
    expect((await call(listPairings, "GET", "/x", { headers: h })).status).toBe(401);
  });
});
