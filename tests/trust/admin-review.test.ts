/**
 * The instance administrator's review of seed 001 operator applications (issue #15): who may see and
 * decide (an instance admin only: a verified address in INSTANCE_ADMIN_EMAILS — never an
 * organization owner), what an approval creates (organization, operator id, owner, first API key
 * mailed once), rejections with a reason, audit events, and one decision per application.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import { isInstanceAdmin } from "@/lib/auth/instance-admin";
import { outboxFor } from "@/lib/mail/mailer";
import { acceptInvitations } from "@/lib/orgs/organizations";
import { POST as apply } from "@/app/apply/route";
import { GET as me } from "@/app/me/route";
import { GET as list } from "@/app/api/v1/admin/applications/route";
import { POST as approve } from "@/app/api/v1/admin/applications/[id]/approve/route";
import { POST as reject } from "@/app/api/v1/admin/applications/[id]/reject/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

const ADMIN = `instance-admin-${Date.now()}@example.com`;
const UNVERIFIED = `unverified-admin-${Date.now()}@example.com`;
let previous: string | undefined;
let admin: Awaited<ReturnType<typeof makeUser>>;
let owner: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  previous = process.env.INSTANCE_ADMIN_EMAILS;
  process.env.INSTANCE_ADMIN_EMAILS = ` ${ADMIN.toUpperCase()} , ${UNVERIFIED}`;
  resetEnvCache();
  admin = await makeUser({ email: ADMIN });
  owner = await makeUser();
});

afterAll(() => {
  if (previous === undefined) delete process.env.INSTANCE_ADMIN_EMAILS;
  else process.env.INSTANCE_ADMIN_EMAILS = previous;
  resetEnvCache();
});

let n = 0;
async function submit(extra: Record<string, string> = {}) {
  const email = `applicant${++n}-${Date.now()}@example.com`;
  const r = await call(apply, "POST", "/apply", { body: { name: `Applicant ${n}`, email, company: `Acme ${n}`, reason: "We run trading agents", ...extra }, clientIp: `10.9.0.${n}` });
  expect(r.status).toBe(201);
  const row = await db().trustApplication.findUniqueOrThrow({ where: { email: (extra.email ?? email).toLowerCase() } });
  return row;
}

const approveAs = (cookie: string, id: string) => call(approve, "POST", `/api/v1/admin/applications/${id}/approve`, { cookie, params: { id } });
const rejectAs = (cookie: string, id: string, reason: unknown) => call(reject, "POST", `/api/v1/admin/applications/${id}/reject`, { cookie, params: { id }, body: { reason } });

describe("who is an instance admin", () => {
  it("a listed address counts only once verified, compared case-insensitively", () => {
    expect(isInstanceAdmin({ email: ADMIN, emailVerified: true })).toBe(true);
    expect(isInstanceAdmin({ email: ADMIN.toUpperCase(), emailVerifiedAt: new Date() })).toBe(true);
    expect(isInstanceAdmin({ email: UNVERIFIED, emailVerified: false })).toBe(false);
    expect(isInstanceAdmin({ email: UNVERIFIED, emailVerifiedAt: null })).toBe(false);
    expect(isInstanceAdmin({ email: "someone@example.com", emailVerified: true })).toBe(false);
    expect(isInstanceAdmin({ email: null, emailVerified: true })).toBe(false);
  });
});

describe("the applications review (instance admins only)", () => {
  it("an organization owner can neither see nor decide, and an unverified listed address cannot either", async () => {
    const app = await submit();
    const unverified = await makeUser({ email: UNVERIFIED });
    await db().user.update({ where: { id: unverified.user.id }, data: { emailVerifiedAt: null } });
    for (const cookie of [owner.cookie, unverified.cookie]) {
      const l = await call(list, "GET", "/api/v1/admin/applications", { cookie });
      expect(l.status).toBe(403);
      expect(l.json.message).toBe("Only an instance administrator can do this");
      expect((await approveAs(cookie, app.id)).status).toBe(403);
      expect((await rejectAs(cookie, app.id, "no")).status).toBe(403);
    }
    expect((await call(list, "GET", "/api/v1/admin/applications")).status).toBe(401);
    const after = await db().trustApplication.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.status).toBe("pending");
    expect(await db().auditEvent.count({ where: { resourceId: app.id } })).toBe(0);
  });

  it("lists applications newest first, filtered by status", async () => {
    const a = await submit();
    const b = await submit();
    const r = await call(list, "GET", "/api/v1/admin/applications", { cookie: admin.cookie, query: { status: "pending" } });
    expect(r.status).toBe(200);
    const ids = r.json.items.map((x: { id: string }) => x.id);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(r.json.items.every((x: { status: string }) => x.status === "pending")).toBe(true);
    expect(r.json.items.find((x: { id: string }) => x.id === a.id)).toMatchObject({ name: a.name, email: a.email, company: a.company, reason: "We run trading agents", decidedAt: null });
    expect((await call(list, "GET", "/api/v1/admin/applications", { cookie: admin.cookie, query: { status: "maybe" } })).status).toBe(400);
  });

  it("approving creates the operator organization, invites the applicant as owner and mails a first key that works", async () => {
    const app = await submit();
    const r = await approveAs(admin.cookie, app.id);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ application: { id: app.id, status: "approved", organizationId: r.json.organization.id }, organization: { name: app.company }, owner: "invited" });
    const orgId = r.json.organization.id as string;
    const invitation = await db().invitation.findFirstOrThrow({ where: { organizationId: orgId } });
    expect(invitation).toMatchObject({ email: app.email, role: "owner", acceptedAt: null });
    expect(await db().trustOperator.count({ where: { organizationId: orgId } })).toBe(1);

    // The key is in the applicant's mail only; it is an organization key of the new organization.
    const [mail] = await outboxFor(db(), app.email);
    expect(mail!.subject).toBe("Your Countersign operator application was approved");
    const secret = mail!.text.match(/\bcso_[A-Za-z0-9_-]+/)?.[0];
    expect(secret).toBeDefined();
    expect(JSON.stringify(r.json)).not.toContain(secret);
    const m = await call(me, "GET", "/me", { headers: { authorization: `Bearer ${secret}` } });
    expect(m.status).toBe(200);
    expect(m.json.operator.name).toBe(app.company);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "trust.application_approved", resourceId: app.id } });
    expect(audit).toMatchObject({ organizationId: orgId, actorId: admin.user.id, resourceType: "trust_application" });
    expect(JSON.stringify(audit.details)).not.toContain(secret!);

    // The applicant signs up later with that address: the invitation makes them the owner.
    const user = await db().user.create({ data: { email: app.email, emailVerifiedAt: new Date() } });
    await acceptInvitations(db(), { id: user.id, email: app.email });
    expect((await db().membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: orgId, userId: user.id } } })).role).toBe("owner");

    // One decision per application.
    const again = await approveAs(admin.cookie, app.id);
    expect(again.status).toBe(409);
    expect(again.json.message).toBe("This application was already approved");
    expect((await rejectAs(admin.cookie, app.id, "changed my mind")).status).toBe(409);
  });

  it("an applicant who already has a verified account becomes the owner at once", async () => {
    const existing = await makeUser();
    const app = await submit({ email: existing.user.email! });
    const r = await approveAs(admin.cookie, app.id);
    expect(r.status).toBe(200);
    expect(r.json.owner).toBe("member");
    const m = await db().membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: r.json.organization.id, userId: existing.user.id } } });
    expect(m.role).toBe("owner");
    expect(await db().invitation.count({ where: { organizationId: r.json.organization.id } })).toBe(0);
  });

  it("rejecting records the reason, mails it and audits the decision", async () => {
    const app = await submit();
    const empty = await rejectAs(admin.cookie, app.id, "   ");
    expect(empty.status).toBe(400);
    const r = await rejectAs(admin.cookie, app.id, "We cannot verify the company");
    expect(r.status).toBe(200);
    expect(r.json.application).toMatchObject({ status: "rejected", rejectionReason: "We cannot verify the company", organizationId: null });
    expect(r.json.application.decidedAt).not.toBeNull();
    const [mail] = await outboxFor(db(), app.email);
    expect(mail!.text).toContain("Reason: We cannot verify the company");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "trust.application_rejected", resourceId: app.id } });
    expect(audit).toMatchObject({ organizationId: null, actorId: admin.user.id });
    expect((await approveAs(admin.cookie, app.id)).status).toBe(409);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await approveAs(admin.cookie, missing)).status).toBe(404);
    expect((await rejectAs(admin.cookie, "not-a-uuid", "x")).status).toBe(400);
  });

  it("two decisions at once: exactly one wins, and one organization is created", async () => {
    const app = await submit();
    const before = await db().organization.count();
    const results = await Promise.all([approveAs(admin.cookie, app.id), approveAs(admin.cookie, app.id), rejectAs(admin.cookie, app.id, "late")]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const row = await db().trustApplication.findUniqueOrThrow({ where: { id: app.id } });
    expect(await db().organization.count()).toBe(before + (row.status === "approved" ? 1 : 0));
  });
});
