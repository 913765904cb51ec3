import { describe, expect, it } from "vitest";
import { GET as list, POST as register } from "@/app/api/devices/route";
import { DELETE as remove } from "@/app/api/devices/[id]/route";
import { POST as testPush } from "@/app/api/v1/push/test/route";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { browserKeys } from "./receiver";
import { expectSeed } from "./seed";

useTestDatabase();

function subscription(n: number) {
  const k = browserKeys();
  return { endpoint: `https://push.example.test/send/${n}-${Date.now()}`, expirationTime: null, keys: { p256dh: k.p256dh, auth: k.auth.toString("base64url") } };
}

describe("devices (seed 004)", () => {
  it("registers, lists and deletes a device; responses match the seed's schemas; the auth secret is sealed and never returned", async () => {
    const u = await makeUser({ role: "approver" });
    const sub = subscription(1);
    const r = await call(register, "POST", "/api/devices", {
      cookie: u.cookie,
      headers: { "user-agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36" },
      body: { subscription: sub, agentAddress: "0x1111111111111111111111111111111111111111", executionMode: "safe", safeAddress: "0x2222222222222222222222222222222222222222", capabilities: { maxActions: 2, supportsNotificationActions: true, supportsRequireInteraction: false } },
    });
    expect(r.status).toBe(201);
    expectSeed("POST", "/api/devices", "Response 201", r.json);
    expect(r.json).toMatchObject({ endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: "redacted", executionMode: "safe", maxActions: 2, supportsRequireInteraction: false });
    expect(JSON.stringify(r.json)).not.toContain(sub.keys.auth);

    const row = await db().device.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(JSON.stringify(row)).not.toContain(sub.keys.auth);
    expect(row.name).toBe("Chrome on Android");
    expect(row.userId).toBe(u.user.id);

    const l = await call(list, "GET", "/api/devices", { cookie: u.cookie });
    expect(l.status).toBe(200);
    expectSeed("GET", "/api/devices", "Response 200", l.json);
    expect(l.json.map((d: { id: string }) => d.id)).toEqual([r.json.id]);

    const audit = await db().auditEvent.findMany({ where: { organizationId: u.organizationId, resourceType: "device" } });
    expect(audit.map((a) => a.action)).toEqual(["device.registered"]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(sub.keys.auth);

    const d = await call(remove, "DELETE", `/api/devices/${r.json.id}`, { cookie: u.cookie, params: { id: r.json.id } });
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expect((await call(list, "GET", "/api/devices", { cookie: u.cookie })).json).toEqual([]);
  });

  it("defaults: relay mode, null agent/safe/maxActions, notification actions and requireInteraction supported", async () => {
    const u = await makeUser();
    const r = await call(register, "POST", "/api/devices", { cookie: u.cookie, body: { subscription: subscription(2) } });
    expect(r.status).toBe(201);
    expectSeed("POST", "/api/devices", "Response 201", r.json);
    expect(r.json).toMatchObject({ agentAddress: null, executionMode: "relay", safeAddress: null, maxActions: null, supportsNotificationActions: true, supportsRequireInteraction: true });
  });

  it("the same subscription twice → 409 in the seed's error shape", async () => {
    const u = await makeUser();
    const sub = subscription(3);
    expect((await call(register, "POST", "/api/devices", { cookie: u.cookie, body: { subscription: sub } })).status).toBe(201);
    const again = await call(register, "POST", "/api/devices", { cookie: u.cookie, body: { subscription: sub } });
    expect(again.status).toBe(409);
    expectSeed("POST", "/api/devices", "Response 409", again.json);
    expect(again.json.error).toMatch(/already registered/);
  });

  it.each([
    ["missing subscription", {}],
    ["unknown member", { subscription: subscription(4), extra: 1 }],
    ["unknown member in keys", { subscription: { ...subscription(5), keys: { ...subscription(5).keys, x: "y" } } }],
    ["empty endpoint", { subscription: { ...subscription(6), endpoint: "" } }],
    ["http endpoint", { subscription: { ...subscription(7), endpoint: "http://push.example.test/x" } }],
    ["p256dh not a P-256 point", { subscription: { ...subscription(8), keys: { p256dh: "AAAA", auth: subscription(8).keys.auth } } }],
    ["auth of the wrong length", { subscription: { ...subscription(9), keys: { p256dh: subscription(9).keys.p256dh, auth: "c2hvcnQ" } } }],
    ["bad agent address", { subscription: subscription(10), agentAddress: "0x12" }],
    ["bad execution mode", { subscription: subscription(11), executionMode: "turbo" }],
    ["negative maxActions", { subscription: subscription(12), capabilities: { maxActions: -1 } }],
    ["negative expirationTime", { subscription: { ...subscription(13), expirationTime: -5 } }],
  ])("400 for %s, in the seed's error shape", async (_name, body) => {
    const u = await makeUser();
    const r = await call(register, "POST", "/api/devices", { cookie: u.cookie, body });
    expect(r.status).toBe(400);
    expectSeed("POST", "/api/devices", "Response 400", r.json);
    expect(typeof r.json.error).toBe("string");
  });

  it("another organization sees none of the devices and gets 404 on delete; unknown and malformed ids are 404 too", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const r = await call(register, "POST", "/api/devices", { cookie: a.cookie, body: { subscription: subscription(20) } });
    expect((await call(list, "GET", "/api/devices", { cookie: b.cookie })).json).toEqual([]);
    for (const id of [r.json.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const d = await call(remove, "DELETE", `/api/devices/${id}`, { cookie: b.cookie, params: { id } });
      expect(d.status, id).toBe(404);
      expectSeed("DELETE", "/api/devices/:id", "Response 404", d.json);
    }
    expect(await db().device.count({ where: { id: r.json.id } })).toBe(1);
    // A member of the same organization may see and remove it.
    const colleague = await makeUser({ organizationId: a.organizationId, role: "approver" });
    expect((await call(list, "GET", "/api/devices", { cookie: colleague.cookie })).json).toHaveLength(1);
  });

  it("needs the dashboard session: anonymous → 401, an API key → 401", async () => {
    const u = await makeUser();
    expect((await call(list, "GET", "/api/devices")).status).toBe(401);
    const key = await makeApiKey(u.organizationId, ["approvals:read"]);
    const r = await call(list, "GET", "/api/devices", { apiKey: key.secret });
    expect(r.status).toBe(401);
    expect(r.json.error).toBeTypeOf("string");
  });

  it("a member removes and test-pushes only their own devices; owners and admins may remove anyone's, audited", async () => {
    const owner = await makeUser({ role: "owner" });
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    const admin = await makeUser({ role: "admin", organizationId: owner.organizationId });
    const add = async (u: { cookie: string }, n: number) => (await call(register, "POST", "/api/devices", { cookie: u.cookie, body: { subscription: subscription(n) } })).json.id as string;
    const ownersPhone = await add(owner, 901);
    const viewersPhone = await add(viewer, 902);

    // the viewer can neither remove the owner's device nor push to it
    const refused = await call(remove, "DELETE", "/x", { cookie: viewer.cookie, params: { id: ownersPhone } });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: "You can remove only your own devices" });
    expect((await call(testPush, "POST", "/x", { cookie: viewer.cookie, body: { deviceId: ownersPhone } })).status).toBe(403);
    expect(await db().pushDelivery.count({ where: { deviceId: ownersPhone } })).toBe(0);
    // "all my devices" means the caller's own, never the organization's
    await call(testPush, "POST", "/x", { cookie: viewer.cookie, body: {} });
    expect(await db().pushDelivery.count({ where: { deviceId: ownersPhone } })).toBe(0);
    expect(await db().pushDelivery.count({ where: { deviceId: viewersPhone } })).toBe(1);
    expect(await db().device.count({ where: { id: ownersPhone } })).toBe(1);

    // an admin removes the viewer's device, and the audit trail says whose it was
    expect((await call(remove, "DELETE", "/x", { cookie: admin.cookie, params: { id: viewersPhone } })).status).toBe(204);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "device.removed", resourceId: viewersPhone } });
    expect(audit.details).toMatchObject({ ownerId: viewer.user.id, ownDevice: false });
    // and the owner removes their own
    expect((await call(remove, "DELETE", "/x", { cookie: owner.cookie, params: { id: ownersPhone } })).status).toBe(204);
  });
});
