import { describe, expect, it } from "vitest";
import { GET as notFound, POST as notFoundPost } from "@/app/api/[...path]/route";
import { POST as addMember, GET as listMembers } from "@/app/api/v1/members/route";
import { PATCH as patchMember, DELETE as deleteMember } from "@/app/api/v1/members/[userId]/route";
import { applyRateLimits, enforceRateLimit, rateLimitSubject } from "@/lib/http/rate-limit";
import type { RateLimitRule } from "@/lib/http/contract";
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

describe("rate-limit rules keyed on the request", () => {
  const byNullifier: RateLimitRule = { name: "chain-verify", limit: 1, windowSeconds: 3600, by: "nullifier", key: ({ body }) => (body as { nullifier?: string }).nullifier, message: "Too many verification attempts" };

  it("counts per key from the parsed request, falls back to the address, and answers the rule's message", async () => {
    const at = (nullifier: string | undefined, ip: string) => ({ ip, principal: { type: "anonymous" } as const, params: {}, query: {}, body: { nullifier } });
    expect(rateLimitSubject(byNullifier, at("n-1", "1.1.1.1"))).toBe("nullifier:n-1");
    expect(rateLimitSubject(byNullifier, at(undefined, "1.1.1.1"))).toBe("ip:1.1.1.1");
    expect(rateLimitSubject({ name: "x", limit: 1, windowSeconds: 1, by: "sid", key: ({ params }) => (params as { sid: string }).sid }, { ip: null, params: { sid: "SID-0x0123456789abcdef" } })).toBe("sid:SID-0x0123456789abcdef");

    await applyRateLimits(byNullifier, "parsed", at("n-1", "1.1.1.1"));
    // Same human from another address: still the same counter.
    const err = await applyRateLimits(byNullifier, "parsed", at("n-1", "2.2.2.2")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).message).toBe("Too many verification attempts");
    expect(Number((err as TooManyRequestsError).headers?.["retry-after"])).toBeGreaterThan(0);
    await applyRateLimits(byNullifier, "parsed", at("n-2", "1.1.1.1")); // another human is unaffected
    // A keyed rule is not counted at the other stages.
    await applyRateLimits(byNullifier, "request", at("n-1", "1.1.1.1"));
    await applyRateLimits(byNullifier, "authenticated", at("n-1", "1.1.1.1"));
  });

  it("keeps its counters in the database, so another instance sees them", async () => {
    await applyRateLimits([{ name: "shared", limit: 5, windowSeconds: 3600, by: "ip" }], "request", { ip: "9.9.9.9" });
    const rows = await db().rateLimitBucket.findMany({ where: { key: "shared:9.9.9.9" } });
    expect(rows.map((r) => r.count)).toEqual([1]);
  });
});

describe("unknown API paths", () => {
  it("answer 404 in their family's error body, whatever body was sent", async () => {
    const r = await call(notFound, "GET", "/api/v1/nope");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, message: "No route for GET /api/v1/nope", error: { code: "NOT_FOUND", message: "No route for GET /api/v1/nope" } });
    const posted = await call(notFoundPost, "POST", "/api/v1/check", { body: { agent_id: "a", tool_name: "t" } });
    expect(posted.status).toBe(404);
    expect(posted.json.error.code).toBe("NOT_FOUND");
    const seed004 = await call(notFoundPost, "POST", "/api/turnkey/nope", { rawBody: "not json", headers: { "content-type": "text/plain" } });
    expect(seed004.status).toBe(404);
    expect(seed004.json).toEqual({ error: "No route for POST /api/turnkey/nope" });
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
