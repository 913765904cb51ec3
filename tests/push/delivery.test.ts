import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as vapidRoute } from "@/app/api/v1/push/vapid-public-key/route";
import { db } from "@/lib/db/client";
import { processDueDeliveries } from "@/lib/push/deliveries";
import { registerDevice } from "@/lib/push/devices";
import { notifyOrganization } from "@/lib/push/notify";
import { backoffMs, MAX_ATTEMPTS } from "@/lib/push/policy";
import { sendTestNotification } from "@/lib/push/test-notification";
import { vapidKeys } from "@/lib/push/vapid";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { browserKeys, startReceiver, type Receiver } from "./receiver";

useTestDatabase();

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/** A device whose push endpoint is the local receiver, which holds the browser-side keys to decrypt. */
async function device(organizationId: string, userId: string, name: string, opts: { actions?: boolean } = {}) {
  const keys = browserKeys();
  const path = `/push/${name}-${Math.random().toString(36).slice(2)}`;
  receiver.keysFor.set(path, keys);
  const d = await registerDevice(db(), {
    organizationId,
    userId,
    body: { subscription: { endpoint: receiver.url + path, keys: { p256dh: keys.p256dh, auth: keys.auth.toString("base64url") } }, capabilities: { supportsNotificationActions: opts.actions ?? true } },
  });
  return { device: d, path };
}

describe("web push delivery", () => {
  it("VAPID keys are created once, the private key is sealed in system_settings, the public key is served", async () => {
    const r = await call(vapidRoute, "GET", "/api/v1/push/vapid-public-key");
    expect(r.status).toBe(200);
    expect(Buffer.from(r.json.publicKey, "base64url")).toHaveLength(65);
    const keys = await vapidKeys(db());
    expect(keys.publicKey).toBe(r.json.publicKey);
    const row = await db().systemSetting.findUniqueOrThrow({ where: { key: "push.vapid" } });
    expect(JSON.stringify(row.value)).not.toContain(keys.privateKey);
    expect((row.value as { privateKey: { kid: string } }).privateKey.kid).toBeTypeOf("string");
    expect((await call(vapidRoute, "GET", "/api/v1/push/vapid-public-key")).json.publicKey).toBe(r.json.publicKey);
  });

  it("notifyOrganization sends an encrypted aes128gcm payload with VAPID, TTL and urgency to every device of the organization only", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const a = await device(u.organizationId, u.user.id, "a");
    const b = await device(u.organizationId, u.user.id, "b", { actions: false });
    const elsewhere = await device(other.organizationId, other.user.id, "x");
    const notificationId = "notif-1";
    const n = await notifyOrganization(db(), { organizationId: u.organizationId, notificationId, title: "Approval needed", body: "Send 250 USDC to 0xab…cd", url: `/approvals/${notificationId}`, requestId: "req-1" });
    expect(n.deliveries).toBe(2);

    const results = await processDueDeliveries(db(), { agent: receiver.agent });
    expect(results.map((r) => r.status).sort()).toEqual(["sent", "sent"]);
    const got = receiver.received.filter((r) => r.path === a.path || r.path === b.path);
    expect(got).toHaveLength(2);
    expect(receiver.received.some((r) => r.path === elsewhere.path)).toBe(false);
    const forA = got.find((r) => r.path === a.path)!;
    expect(forA.payload).toEqual({ title: "Approval needed", body: "Send 250 USDC to 0xab…cd", url: "/approvals/notif-1", notificationId, requestId: "req-1", tag: "approval-notif-1", actions: true, requireInteraction: true });
    expect((got.find((r) => r.path === b.path)!.payload as { actions: boolean }).actions).toBe(false);
    expect(forA.headers["content-encoding"]).toBe("aes128gcm");
    expect(forA.headers["ttl"]).toBe(String(24 * 3600));
    expect(forA.headers["urgency"]).toBe("high");
    expect(forA.vapid.aud).toBe(receiver.url);
    expect(forA.vapid.k).toBe((await vapidKeys(db())).publicKey);
    expect(forA.vapid.sub).toBe("mailto:webpush@localhost");

    const dev = await db().device.findUniqueOrThrow({ where: { id: a.device.id } });
    expect(dev.lastSuccessAt).not.toBeNull();
    expect(await db().pushDelivery.count({ where: { notificationId, status: "sent" } })).toBe(2);
    // Nothing is due any more.
    expect(await processDueDeliveries(db(), { agent: receiver.agent })).toEqual([]);
  });

  it("410 and 404 from the push service remove the device", async () => {
    const u = await makeUser();
    const gone = await device(u.organizationId, u.user.id, "gone");
    const missing = await device(u.organizationId, u.user.id, "missing");
    receiver.script.set(gone.path, [410]);
    receiver.script.set(missing.path, [404]);
    await notifyOrganization(db(), { organizationId: u.organizationId, notificationId: "notif-2", title: "t", body: "b", url: "/approvals/notif-2" });
    const results = await processDueDeliveries(db(), { agent: receiver.agent });
    expect(results.map((r) => [r.deviceId, r.status]).sort()).toEqual([[gone.device.id, "gone"], [missing.device.id, "gone"]].sort());
    expect(await db().device.count({ where: { id: { in: [gone.device.id, missing.device.id] } } })).toBe(0);
  });

  it("500 is retried with exponential backoff (persisted next_attempt_at), then succeeds", async () => {
    const u = await makeUser();
    const flaky = await device(u.organizationId, u.user.id, "flaky");
    receiver.script.set(flaky.path, [500, 503]);
    const t0 = new Date("2030-01-01T00:00:00Z");
    await notifyOrganization(db(), { organizationId: u.organizationId, notificationId: "notif-3", title: "Retry me", body: "b", url: "/approvals/notif-3" });

    const first = await processDueDeliveries(db(), { agent: receiver.agent, now: t0 });
    expect(first).toEqual([expect.objectContaining({ status: "pending", attempts: 1, error: "push service answered 500" })]);
    let row = await db().pushDelivery.findFirstOrThrow({ where: { notificationId: "notif-3" } });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMs(1));
    expect(row.lastError).toBe("push service answered 500");
    expect((await db().device.findUniqueOrThrow({ where: { id: flaky.device.id } })).failureCount).toBe(1);

    // Not due before the backoff has passed.
    expect(await processDueDeliveries(db(), { agent: receiver.agent, now: new Date(t0.getTime() + backoffMs(1) - 1) })).toEqual([]);

    const t1 = new Date(t0.getTime() + backoffMs(1));
    const second = await processDueDeliveries(db(), { agent: receiver.agent, now: t1 });
    expect(second).toEqual([expect.objectContaining({ status: "pending", attempts: 2, error: "push service answered 503" })]);
    row = await db().pushDelivery.findFirstOrThrow({ where: { notificationId: "notif-3" } });
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + backoffMs(2));
    expect(backoffMs(2)).toBe(2 * backoffMs(1));

    const third = await processDueDeliveries(db(), { agent: receiver.agent, now: new Date(t1.getTime() + backoffMs(2)) });
    expect(third).toEqual([expect.objectContaining({ status: "sent", attempts: 3, error: null })]);
    expect(receiver.received.filter((r) => r.path === flaky.path).map((r) => (r.payload as { title: string }).title)).toEqual(["Retry me"]);
    const dev = await db().device.findUniqueOrThrow({ where: { id: flaky.device.id } });
    expect(dev.failureCount).toBe(0);
    expect(dev.lastSuccessAt).not.toBeNull();
  });

  it("gives up after MAX_ATTEMPTS; a non-retryable answer (403) fails at once", async () => {
    const u = await makeUser();
    const dead = await device(u.organizationId, u.user.id, "dead");
    const forbidden = await device(u.organizationId, u.user.id, "forbidden");
    receiver.script.set(dead.path, Array(MAX_ATTEMPTS).fill(502));
    receiver.script.set(forbidden.path, [403]);
    await notifyOrganization(db(), { organizationId: u.organizationId, notificationId: "notif-4", title: "t", body: "b", url: "/x" });
    let now = new Date("2031-01-01T00:00:00Z");
    let last: Awaited<ReturnType<typeof processDueDeliveries>> = [];
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      last = await processDueDeliveries(db(), { agent: receiver.agent, now });
      if (i === 1) expect(last.find((r) => r.deviceId === forbidden.device.id)).toMatchObject({ status: "failed", attempts: 1 });
      now = new Date(now.getTime() + backoffMs(i));
    }
    expect(last).toEqual([expect.objectContaining({ deviceId: dead.device.id, status: "failed", attempts: MAX_ATTEMPTS })]);
    expect(await processDueDeliveries(db(), { agent: receiver.agent, now: new Date(now.getTime() + 10 * 3600_000) })).toEqual([]);
    // Failed devices stay registered (only 404/410 remove them).
    expect(await db().device.count({ where: { id: { in: [dead.device.id, forbidden.device.id] } } })).toBe(2);
  });

  it("a delivery claimed by one worker is not sent again by another", async () => {
    const u = await makeUser();
    const one = await device(u.organizationId, u.user.id, "once");
    await notifyOrganization(db(), { organizationId: u.organizationId, notificationId: "notif-5", title: "once", body: "b", url: "/x" });
    const [r1, r2] = await Promise.all([processDueDeliveries(db(), { agent: receiver.agent }), processDueDeliveries(db(), { agent: receiver.agent })]);
    expect([...r1!, ...r2!].filter((r) => r.status === "sent")).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === one.path)).toHaveLength(1);
  });

  it("the test notification reaches the chosen device and reports the outcome", async () => {
    const u = await makeUser();
    const t = await device(u.organizationId, u.user.id, "test");
    const out = await sendTestNotification(db(), { organizationId: u.organizationId, userId: u.user.id, deviceId: t.device.id }, { agent: receiver.agent });
    expect(out).toEqual([{ deviceId: t.device.id, status: "sent", error: null }]);
    const got = receiver.received.filter((r) => r.path === t.path);
    expect(got.map((r) => (r.payload as { tag: string }).tag)).toEqual(["countersign-test"]);
    expect(got[0]!.headers["urgency"]).toBe("normal");
  });
});
