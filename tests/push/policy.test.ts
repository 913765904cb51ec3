import { describe, expect, it } from "vitest";
import { backoffMs, BASE_DELAY_MS, classify, encodePayload, MAX_DELAY_MS, MAX_PAYLOAD_BYTES, type PushPayload } from "@/lib/push/policy";

describe("push delivery rules (pure)", () => {
  it("classifies push-service answers", () => {
    expect(classify(201, "")).toEqual({ kind: "sent" });
    expect(classify(410, "").kind).toBe("gone");
    expect(classify(404, "").kind).toBe("gone");
    for (const s of [500, 502, 503, 429, 408]) expect(classify(s, "").kind, String(s)).toBe("retry");
    expect(classify(null, "ECONNREFUSED")).toEqual({ kind: "retry", error: "network error: ECONNREFUSED" });
    for (const s of [400, 401, 403, 413]) expect(classify(s, "").kind, String(s)).toBe("fatal");
  });

  it("backs off exponentially with a cap", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([BASE_DELAY_MS, 2 * BASE_DELAY_MS, 4 * BASE_DELAY_MS, 8 * BASE_DELAY_MS]);
    expect(backoffMs(40)).toBe(MAX_DELAY_MS);
  });

  it("keeps payloads under the push size limit by shortening the body only", () => {
    const p: PushPayload = { title: "Approve", body: "é".repeat(5000), url: "/approvals/x", notificationId: "x", requestId: null, tag: "t", actions: true, requireInteraction: true };
    const s = encodePayload(p);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const back = JSON.parse(s) as PushPayload;
    expect(back.title).toBe("Approve");
    expect(back.body.endsWith("…")).toBe(true);
    expect(back.body.length).toBeGreaterThan(1000);
    const small = { ...p, body: "short" };
    expect(JSON.parse(encodePayload(small))).toEqual(small);
  });
});
