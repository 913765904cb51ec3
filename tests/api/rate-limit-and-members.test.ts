import { describe, expect, it } from "vitest";
import { GET as notFound, POST as notFoundPost } from "@/app/api/[...path]/route";
import { POST as addMember, GET as listMembers } from "@/app/api/v1/members/route";
import { PATCH as patchMember, DELETE as deleteMember } from "@/app/api/v1/members/[userId]/route";
import { enforceRateLimit } from "@/lib/http/rate-limit";
import { TooManyRequestsError } from "@/lib/http/errors";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

describe("rate limits (shared through the database)", () => {
  it("allows exactly `limit` requests per window, then 429 with Retry-After, and resets next window", async () => {
    const rule = { name: "t", limit: 3, windowSeconds: 60, by: "ip" as const };
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 10);
    for (let i = 0; i < 3; i++) await enforceRateLimit(rule, "1.2.3.4", t0);
    const err = await enforceRateLimit(rule, "1.2.3.4", t0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).headers?.["retry-after"]).toBe("50");
    await enforceRateLimit(rule, "5.6.7.8", t0); // other subjects are unaffected
    await enforceRateLimit(rule, "1.2.3.4", t0 + 60_000); // next window
  });
});

describe("unknown API paths", () => {
  it("answer 404 in the API's error shape", async () => {
    const r = await call(notFound, "GET", "/api/v1/nope");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, message: "No route for GET /api/v1/nope" });
    expect((await call(notFoundPost, "POST", "/api/v1/nope", { body: {} })).status).toBe(404);
  });
});

describe("members", () => {
  it("invites an unverified address, adds a verified user directly, and never removes the last owner", async () => {
    const owner = await makeUser();
    const verified = await db().user.create({ data: { email: "verified@example.com", emailVerifiedAt: new Date() } });
    const inv = await call(addMember, "POST", "/x", { cookie: owner.cookie, body: { email: "pending@example.com", role: "viewer" } });
    expect(inv.status).toBe(201);
    expect(inv.json.member).toBeNull();
    expect(inv.json.invitation.email).toBe("pending@example.com");
    expect((await call(addMember, "POST", "/x", { cookie: owner.cookie, body: { email: "pending@example.com", role: "viewer" } })).status).toBe(409);
    const added = await call(addMember, "POST", "/x", { cookie: owner.cookie, body: { email: "Verified@Example.com", role: "approver" } });
    expect(added.json.member).toMatchObject({ userId: verified.id, role: "approver" });
    const list = await call(listMembers, "GET", "/x", { cookie: owner.cookie });
    expect(list.json.members).toHaveLength(2);
    expect(list.json.invitations).toHaveLength(1);

    const demoteLast = await call(patchMember, "PATCH", "/x", { cookie: owner.cookie, params: { userId: owner.user.id }, body: { role: "admin" } });
    expect(demoteLast.status).toBe(409);
    const removeLast = await call(deleteMember, "DELETE", "/x", { cookie: owner.cookie, params: { userId: owner.user.id } });
    expect(removeLast.status).toBe(409);
    expect((await call(deleteMember, "DELETE", "/x", { cookie: owner.cookie, params: { userId: verified.id } })).status).toBe(204);
    const actions = (await db().auditEvent.findMany({ where: { organizationId: owner.organizationId }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["member.invited", "member.added", "member.removed"]);
  });

  it("an admin cannot make anyone an owner or touch an owner; an approver cannot manage members", async () => {
    const owner = await makeUser();
    const admin = await makeUser({ organizationId: owner.organizationId, role: "admin" });
    const approver = await makeUser({ organizationId: owner.organizationId, role: "approver" });
    expect((await call(addMember, "POST", "/x", { cookie: admin.cookie, body: { email: "x@example.com", role: "owner" } })).status).toBe(403);
    expect((await call(deleteMember, "DELETE", "/x", { cookie: admin.cookie, params: { userId: owner.user.id } })).status).toBe(403);
    expect((await call(patchMember, "PATCH", "/x", { cookie: admin.cookie, params: { userId: approver.user.id }, body: { role: "viewer" } })).status).toBe(200);
    expect((await call(addMember, "POST", "/x", { cookie: approver.cookie, body: { email: "y@example.com", role: "viewer" } })).status).toBe(403);
  });
});
