import { beforeAll, describe, expect, it } from "vitest";
import { GET as getActive, PUT as putActive } from "@/app/api/v1/signers/[id]/policy/route";
import { GET as getDraft, PUT as putDraft } from "@/app/api/v1/signers/[id]/policy/draft/route";
import { POST as activate } from "@/app/api/v1/signers/[id]/policy/activate/route";
import { GET as history } from "@/app/api/v1/signers/[id]/policy/history/route";
import { resetEnvCache } from "@/lib/config/env";
import { db, disconnectDb } from "@/lib/db/client";
import { loadActiveRulesDocument } from "@/lib/policy/documents";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

const database = useTestDatabase();

beforeAll(async () => {
  // PGlite serves one connection; on a real PostgreSQL server let concurrent requests really overlap.
  if (database.current.kind === "postgres") {
    process.env.DATABASE_POOL_MAX = "4";
    resetEnvCache();
    await disconnectDb();
  }
});

const TREASURY = "0x4444444444444444444444444444444444444444";

const DOC_A = {
  version: 1,
  defaultAction: "allow",
  lists: { treasury: [TREASURY] },
  rules: [
    { id: "big-outside-treasury", when: { all: [{ field: "value", op: "gt", value: "1 ETH" }, { field: "to", op: "notInList", value: "treasury" }] }, action: "require_approval" },
    { id: "no-approve", when: { field: "selector", op: "eq", value: "approve(address,uint256)" }, action: "deny" },
  ],
};
const DOC_B = { version: 1, defaultAction: "deny", rules: [{ id: "treasury-only", when: { field: "to", op: "inList", value: "treasury" }, action: "allow" }], lists: { treasury: [TREASURY] } };

async function signerFor(organizationId: string) {
  return db().signer.create({ data: { organizationId, name: "s", chainId: 31337, status: "active" } });
}

async function audits(organizationId: string) {
  return db().auditEvent.findMany({ where: { organizationId, resourceType: "policy_document" }, orderBy: { seq: "asc" } });
}

describe("rules documents: draft → activate → history (seed 000)", () => {
  it("saves a draft, replaces it in place, activates it, and keeps every version with who activated it", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const p = { params: { id: s.id }, cookie: owner.cookie };

    expect((await call(getActive, "GET", "/x", p)).json).toEqual({ policy: null });
    expect((await call(getDraft, "GET", "/x", p)).json).toEqual({ draft: null });

    const d1 = await call(putDraft, "PUT", "/x", { ...p, body: DOC_A });
    expect(d1.status).toBe(200);
    expect(d1.json.draft).toMatchObject({
      signerId: s.id,
      version: 1,
      status: "draft",
      createdBy: { id: owner.user.id, email: owner.user.email },
      activatedAt: null,
      activatedBy: null,
      supersededAt: null,
      preview: ["Require approval when value > 1 ETH and to is not in treasury", "Deny when function is approve"],
    });
    // Stored normalised: units become wei, the selector signature its 4 bytes, defaults filled in.
    expect(d1.json.draft.rules).toMatchObject({ timeZone: "UTC", rules: [{ when: { all: [{ value: "1000000000000000000" }, {}] } }, { when: { value: "0x095ea7b3" } }] });

    // Saving again replaces the draft's rules and keeps its version.
    const d2 = await call(putDraft, "PUT", "/x", { ...p, body: DOC_B });
    expect(d2.json.draft).toMatchObject({ id: d1.json.draft.id, version: 1, status: "draft", preview: ["Allow when to is in treasury"] });
    expect((await call(getDraft, "GET", "/x", p)).json.draft.rules.defaultAction).toBe("deny");

    const a1 = await call(activate, "POST", "/x", { ...p, body: { version: 1 } });
    expect(a1.status).toBe(200);
    expect(a1.json.policy).toMatchObject({ id: d1.json.draft.id, version: 1, status: "active", activatedBy: { id: owner.user.id, email: owner.user.email } });
    expect(a1.json.policy.activatedAt).toEqual(expect.any(String));
    expect((await call(getDraft, "GET", "/x", p)).json.draft).toBeNull();
    expect((await call(getActive, "GET", "/x", p)).json.policy).toMatchObject({ version: 1, status: "active" });

    // A second version, activated by another admin: the first is superseded and stays as history.
    const admin = await makeUser({ organizationId: owner.organizationId, role: "admin" });
    await call(putDraft, "PUT", "/x", { ...p, body: DOC_A });
    // No body at all is the same as {} (every field of the activate body is optional).
    const a2 = await call(activate, "POST", "/x", { params: { id: s.id }, cookie: admin.cookie });
    expect(a2.json.policy).toMatchObject({ version: 2, status: "active", createdBy: { id: owner.user.id }, activatedBy: { id: admin.user.id, email: admin.user.email } });

    const h = await call(history, "GET", "/x", p);
    expect(h.status).toBe(200);
    expect(h.json.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, "active"], [1, "superseded"]]);
    expect(h.json.versions[1]).toMatchObject({ activatedBy: { id: owner.user.id }, supersededAt: expect.any(String) });
    expect(Date.parse(h.json.versions[1].supersededAt)).toBeGreaterThanOrEqual(Date.parse(h.json.versions[1].activatedAt));

    // The signing path sees the newly active version.
    const loaded = await loadActiveRulesDocument(db(), s.id);
    expect(loaded).toMatchObject({ id: a2.json.policy.id, version: 2 });
    expect(loaded!.rules.rules.map((r) => r.rule.id)).toEqual(["big-outside-treasury", "no-approve"]);

    const events = await audits(owner.organizationId);
    expect(events.map((e) => e.action)).toEqual(["policy.draft_saved", "policy.draft_saved", "policy.activated", "policy.draft_saved", "policy.activated"]);
    expect(events[0]!.details).toEqual({ signerId: s.id, documentId: d1.json.draft.id, version: 1, ruleCount: 2, replacedDraft: false });
    expect(events[1]!.details).toMatchObject({ version: 1, ruleCount: 1, replacedDraft: true });
    expect(events[2]!.details).toEqual({ signerId: s.id, documentId: d1.json.draft.id, version: 1, previousActiveVersion: null, ruleCount: 1 });
    expect(events[4]!.details).toMatchObject({ version: 2, previousActiveVersion: 1, ruleCount: 2 });
    expect(events[4]).toMatchObject({ actorId: admin.user.id, resourceId: a2.json.policy.id });
  });

  it("PUT /policy saves a new version and activates it directly, leaving an existing draft alone", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const p = { params: { id: s.id }, cookie: owner.cookie };

    const first = await call(putActive, "PUT", "/x", { ...p, body: DOC_A });
    expect(first.status).toBe(200);
    expect(first.json.policy).toMatchObject({ version: 1, status: "active", createdBy: { id: owner.user.id }, activatedBy: { id: owner.user.id } });

    const draft = await call(putDraft, "PUT", "/x", { ...p, body: DOC_B });
    expect(draft.json.draft).toMatchObject({ version: 2, status: "draft" });

    const second = await call(putActive, "PUT", "/x", { ...p, body: DOC_B });
    expect(second.json.policy).toMatchObject({ version: 3, status: "active" });
    expect((await call(getDraft, "GET", "/x", p)).json.draft).toMatchObject({ id: draft.json.draft.id, version: 2, status: "draft" });

    const versions = (await call(history, "GET", "/x", p)).json.versions;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[3, "active"], [2, "draft"], [1, "superseded"]]);

    const events = await audits(owner.organizationId);
    expect(events.map((e) => e.action)).toEqual(["policy.document_replaced", "policy.draft_saved", "policy.document_replaced"]);
    expect(events[2]!.details).toEqual({ signerId: s.id, documentId: second.json.policy.id, version: 3, previousActiveVersion: 1, ruleCount: 1 });
  });

  it("rejects invalid documents with a 400 naming each problem by its path, and stores nothing", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const p = { params: { id: s.id }, cookie: owner.cookie };
    const bad = {
      version: 1,
      defaultAction: "allow",
      rules: [
        { id: "ok", when: { all: [] }, action: "allow" },
        { id: "ok", when: { field: "value", op: "gt", value: "1 ETH" }, action: "deny" },
        { id: "x", when: { all: [{ field: "value", op: "gtx", value: "1" }] }, action: "deny" },
        { id: "y", when: { field: "to", op: "inList", value: "friends" }, action: "maybe" },
      ],
    };
    for (const handler of [putDraft, putActive]) {
      const r = await call(handler, "PUT", "/x", { ...p, body: bad });
      expect(r.status).toBe(400);
      expect(r.json.statusCode).toBe(400);
      expect(r.json.message).toMatch(/^Invalid rules document: /);
      expect(r.json.violations).toEqual([
        { field: "body.rules[1].id", message: 'duplicate rule id "ok" (also rules[0])' },
        { field: "body.rules[2].when.all[0].op", message: 'unknown operator "gtx"; expected one of eq, neq, in, notIn, gt, gte, lt, lte, inList, notInList, contains, matches' },
        { field: "body.rules[3].action", message: 'unknown action "maybe"; expected one of allow, deny, require_approval' },
        { field: "body.rules[3].when.value", message: 'unknown list "friends"; declare it under "lists"' },
      ]);
    }
    const missing = await call(putDraft, "PUT", "/x", { ...p, body: { rules: [] } });
    expect(missing.status).toBe(400);
    expect(missing.json.violations.map((v: { field: string }) => v.field)).toEqual(["body.version", "body.defaultAction"]);
    const notObject = await call(putDraft, "PUT", "/x", { ...p, body: [1, 2] });
    expect(notObject.status).toBe(400);
    expect((await call(putDraft, "PUT", "/x", { ...p, rawBody: "{nope", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect(await db().policyDocument.count({ where: { signerId: s.id } })).toBe(0);
  });

  it("answers 409 when there is no draft or the draft changed since it was reviewed", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const p = { params: { id: s.id }, cookie: owner.cookie };

    const none = await call(activate, "POST", "/x", { ...p, body: {} });
    expect(none.status).toBe(409);
    expect(none.json).toEqual({ statusCode: 409, message: "This signer has no draft policy to activate; save one with PUT /signers/{id}/policy/draft first" });

    const d = await call(putDraft, "PUT", "/x", { ...p, body: DOC_A });
    const wrongVersion = await call(activate, "POST", "/x", { ...p, body: { version: 7 } });
    expect(wrongVersion.status).toBe(409);
    expect(wrongVersion.json.message).toBe("The draft is version 1, not version 7; review it again before activating");

    // Edited in place after being reviewed: same version, different updatedAt.
    const reviewedAt = d.json.draft.updatedAt;
    await new Promise((r) => setTimeout(r, 5));
    await call(putDraft, "PUT", "/x", { ...p, body: DOC_B });
    const stale = await call(activate, "POST", "/x", { ...p, body: { version: 1, updatedAt: reviewedAt } });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toMatch(/^Draft version 1 was changed at .*; review it again before activating$/);

    const bad = await call(activate, "POST", "/x", { ...p, body: { version: "one" } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations[0].field).toBe("body.version");

    const current = (await call(getDraft, "GET", "/x", p)).json.draft;
    const ok = await call(activate, "POST", "/x", { ...p, body: { version: 1, updatedAt: current.updatedAt } });
    expect(ok.status).toBe(200);
    expect(ok.json.policy.rules.defaultAction).toBe("deny");
    expect((await call(activate, "POST", "/x", { ...p, body: { version: 1 } })).status).toBe(409);
  });

  it("concurrent activations and draft writes: one activation wins, the others get 409, never a 500", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const p = { params: { id: s.id }, cookie: owner.cookie };
    await call(putActive, "PUT", "/x", { ...p, body: DOC_B });
    await call(putDraft, "PUT", "/x", { ...p, body: DOC_A });

    const results = await Promise.all(Array.from({ length: 4 }, () => call(activate, "POST", "/x", { ...p, body: {} })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);

    // Concurrent draft saves and direct replacements: all succeed, one draft and one active remain.
    const writes = await Promise.all([
      call(putDraft, "PUT", "/x", { ...p, body: DOC_A }),
      call(putDraft, "PUT", "/x", { ...p, body: DOC_B }),
      call(putActive, "PUT", "/x", { ...p, body: DOC_A }),
      call(putDraft, "PUT", "/x", { ...p, body: DOC_A }),
      call(putActive, "PUT", "/x", { ...p, body: DOC_B }),
    ]);
    expect(writes.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const rows = await db().policyDocument.findMany({ where: { signerId: s.id } });
    expect(rows.filter((r) => r.status === "draft")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "active")).toHaveLength(1);
    expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);

    const race = await Promise.all([call(activate, "POST", "/x", { ...p, body: {} }), call(putDraft, "PUT", "/x", { ...p, body: DOC_B }), call(activate, "POST", "/x", { ...p, body: {} })]);
    expect(race.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const after = await db().policyDocument.findMany({ where: { signerId: s.id } });
    expect(after.filter((r) => r.status === "active")).toHaveLength(1);
    expect(after.filter((r) => r.status === "draft").length).toBeLessThanOrEqual(1);
  });

  it("is scoped and authorized: other organization 404, viewer reads but cannot write, API keys need the scope", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const s = await signerFor(b.organizationId);
    await call(putDraft, "PUT", "/x", { params: { id: s.id }, cookie: b.cookie, body: DOC_A });

    for (const [handler, method, body] of [[getActive, "GET"], [getDraft, "GET"], [history, "GET"], [putActive, "PUT", DOC_A], [putDraft, "PUT", DOC_A], [activate, "POST", {}]] as const) {
      const r = await call(handler, method, "/x", { params: { id: s.id }, cookie: a.cookie, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${handler.name}`).toBe(404);
      expect(r.json).toEqual({ statusCode: 404, message: "Signer not found" });
    }

    const viewer = await makeUser({ organizationId: b.organizationId, role: "viewer" });
    const vp = { params: { id: s.id }, cookie: viewer.cookie };
    expect((await call(getDraft, "GET", "/x", vp)).status).toBe(200);
    expect((await call(history, "GET", "/x", vp)).status).toBe(200);
    expect((await call(putDraft, "PUT", "/x", { ...vp, body: DOC_B })).status).toBe(403);
    expect((await call(putActive, "PUT", "/x", { ...vp, body: DOC_B })).status).toBe(403);
    expect((await call(activate, "POST", "/x", { ...vp, body: {} })).status).toBe(403);

    const readKey = await makeApiKey(b.organizationId, ["policies:read"]);
    expect((await call(getDraft, "GET", "/x", { params: { id: s.id }, apiKey: readKey.secret })).json.draft.version).toBe(1);
    expect((await call(putDraft, "PUT", "/x", { params: { id: s.id }, apiKey: readKey.secret, body: DOC_B })).status).toBe(403);
    expect((await call(activate, "POST", "/x", { params: { id: s.id }, apiKey: readKey.secret, body: {} })).status).toBe(403);

    const manageKey = await makeApiKey(b.organizationId, ["policies:read", "policies:manage"]);
    const viaKey = await call(activate, "POST", "/x", { params: { id: s.id }, apiKey: manageKey.secret, body: { version: 1 } });
    expect(viaKey.status).toBe(200);
    // A key has no user: activatedBy stays null, the audit trail names the credential.
    expect(viaKey.json.policy).toMatchObject({ status: "active", activatedBy: null });
    const event = (await audits(b.organizationId)).at(-1)!;
    expect(event).toMatchObject({ action: "policy.activated", actorType: "credential", actorId: manageKey.credential.id });
    expect(JSON.stringify(event.details)).not.toContain(manageKey.secret);

    expect((await call(getActive, "GET", "/x", { params: { id: s.id }, cookie: a.cookie })).status).toBe(404);
    expect((await call(getActive, "GET", "/x", { params: { id: "not-a-uuid" }, cookie: b.cookie })).status).toBe(400);
  });
});
