/**
 * Passkey for risk ≥ HIGH (issue #13): a reviewer signed in with a session allows a pending check of
 * risk HIGH or CRITICAL only with a fresh passkey assertion bound to that check and its arguments
 * digest (POST /api/v1/approvals/challenge {gatewayCheckId}, X-Countersign-Assertion), as accepting
 * a transaction above the threshold does. Blocking needs none, lower risks need none, and an API
 * key with gateway:review keeps deciding without one (seed 002).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/v1/check/route";
import { PATCH as review } from "@/app/api/v1/check/[id]/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { POST as createPolicy } from "@/app/api/v1/policies/route";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";

useTestDatabase();

let owner: Awaited<ReturnType<typeof makeUser>>;
let passkey: SoftAuthenticator;
let key: string;
let reviewKey: string;
const K = () => ({ "x-aegis-api-key": key });

const gate = async (tool: string, amount: number) => {
  const r = await call(check, "POST", "/api/v1/check", { headers: K(), body: { agent_id: "refunder", tool_name: tool, arguments: { amount, order: `A-${amount}` } } });
  expect(r.json.decision).toBe("pending");
  return r.json as { check_id: string; risk_level: string };
};
const decide = (id: string, decision: "allow" | "block", headers: Record<string, string> = {}) => call(review, "PATCH", `/api/v1/check/${id}`, { cookie: owner.cookie, params: { id }, headers, body: { decision } });
async function assertionFor(id: string) {
  const c = await call(challenge, "POST", "/api/v1/approvals/challenge", { cookie: owner.cookie, body: { gatewayCheckId: id } });
  expect(c.status).toBe(200);
  const row = await db().gatewayCheck.findUniqueOrThrow({ where: { id } });
  expect(c.json).toMatchObject({ requestId: id, subjectHash: row.argumentsDigest });
  return { "x-countersign-assertion": assertionHeader(c.json.challengeId, passkey.assert(c.json.options.challenge)) };
}

beforeAll(async () => {
  owner = await makeUser();
  passkey = new SoftAuthenticator();
  await passkey.register(owner.user.id);
  key = (await makeApiKey(owner.organizationId, ["gateway:check", "policies:manage"])).secret;
  reviewKey = (await makeApiKey(owner.organizationId, ["gateway:review"])).secret;
  const policy = (id: string, tool: string, risk: string) =>
    call(createPolicy, "POST", "/api/v1/policies", { headers: K(), body: { id, name: id, risk_level: risk, on_match: "pending", policy_schema: { if: { properties: { tool_name: { const: tool } } }, then: { properties: { arguments: { properties: { amount: { maximum: 100 } } } } } } } });
  expect((await policy("refund-cap", "refund", "HIGH")).status).toBe(201);
  expect((await policy("coupon-cap", "coupon", "MEDIUM")).status).toBe(201);
});

describe("deciding a pending check from a session", () => {
  it("HIGH: allow without a passkey is 403 PASSKEY_REQUIRED and the check stays pending; with an assertion for it, allowed and audited as such", async () => {
    const c = await gate("refund", 250);
    expect(c.risk_level).toBe("HIGH");
    const refused = await decide(c.check_id, "allow");
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: "PASSKEY_REQUIRED" });
    expect(refused.json.error.message).toContain("passkey");
    expect((await db().gatewayCheck.findUniqueOrThrow({ where: { id: c.check_id } })).decision).toBe("pending");

    const ok = await decide(c.check_id, "allow", await assertionFor(c.check_id));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ decision: "allow", decided_by: owner.user.email });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { organizationId: owner.organizationId, action: "gateway.check.decided", resourceId: c.check_id } });
    expect(audit.details).toMatchObject({ decision: "allow", via: "dashboard", riskLevel: "HIGH", withPasskey: true });
  });

  it("an assertion made for another check, or replayed, is refused (403)", async () => {
    const a = await gate("refund", 300);
    const b = await gate("refund", 400);
    const forA = await assertionFor(a.check_id);
    const wrong = await decide(b.check_id, "allow", forA);
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.message).toContain("different request");
    expect((await db().gatewayCheck.findUniqueOrThrow({ where: { id: b.check_id } })).decision).toBe("pending");
    const forB = await assertionFor(b.check_id);
    expect((await decide(b.check_id, "allow", forB)).status).toBe(200);
    const c = await gate("refund", 500);
    expect((await decide(c.check_id, "allow", forB)).status).toBe(403);
  });

  it("block needs no passkey; a MEDIUM check is allowed without one; an API key with gateway:review allows a HIGH check without one", async () => {
    const high = await gate("refund", 600);
    expect((await decide(high.check_id, "block")).json).toMatchObject({ decision: "block" });
    const medium = await gate("coupon", 700);
    expect(medium.risk_level).toBe("MEDIUM");
    expect((await decide(medium.check_id, "allow")).json).toMatchObject({ decision: "allow" });
    const viaKey = await gate("refund", 800);
    const r = await call(review, "PATCH", `/api/v1/check/${viaKey.check_id}`, { headers: { "x-aegis-api-key": reviewKey }, params: { id: viaKey.check_id }, body: { decision: "allow", decided_by: "oncall@example.com" } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ decision: "allow", decided_by: "oncall@example.com" });
  });
});
