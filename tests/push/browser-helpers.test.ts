import { encodeFunctionData, parseAbi } from "viem";
import { describe, expect, it } from "vitest";
import { assertionHeader } from "@/components/api/passkey-assertion";
import { decodeCall, userAgentLabel } from "@/components/approvals/approval-decode";
import { applicationServerKey, deviceBody, pushSupport, subscribeErrorMessage } from "@/components/push/push-support";

describe("approval page helpers (pure)", () => {
  it("decodes known calls, plain transfers and unknown selectors", () => {
    const data = encodeFunctionData({ abi: parseAbi(["function transfer(address to, uint256 amount)"]), args: ["0x000000000000000000000000000000000000bEEF", 250_000_000n] });
    expect(decodeCall({ data, value: "0" })).toEqual({ kind: "known", functionName: "transfer", args: [{ name: "to", value: "0x000000000000000000000000000000000000bEEF" }, { name: "amount", value: "250000000" }], value: "0 ETH" });
    expect(decodeCall({ data: "0x", value: "1500000000000000000" })).toEqual({ kind: "transfer", value: "1.5 ETH" });
    const unknown = decodeCall({ data: "0xdeadbeef" + "00".repeat(31) + "2a", value: "0" });
    expect(unknown).toEqual({ kind: "unknown", selector: "0xdeadbeef", words: ["0x" + "00".repeat(31) + "2a"], value: "0 ETH" });
  });

  it("encodes the X-Countersign-Assertion header as base64url JSON", () => {
    const h = assertionHeader("ch-1", { id: "cred", response: { clientDataJSON: "é" } });
    expect(h).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(h, "base64url").toString("utf8"))).toEqual({ challengeId: "ch-1", response: { id: "cred", response: { clientDataJSON: "é" } } });
  });

  it("labels user agents", () => {
    expect(userAgentLabel("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(userAgentLabel(null)).toBeNull();
  });
});

describe("add-this-device helpers (pure)", () => {
  it("converts the VAPID key and builds POST /api/devices's body from a subscription", () => {
    const key = Buffer.alloc(65, 7);
    key[0] = 4;
    expect(Buffer.from(applicationServerKey(key.toString("base64url")))).toEqual(key);
    expect(deviceBody({ endpoint: "https://fcm.googleapis.com/fcm/send/x", expirationTime: null, keys: { p256dh: "p", auth: "a" } }, { maxActions: 2, actions: true, requireInteraction: false })).toEqual({
      subscription: { endpoint: "https://fcm.googleapis.com/fcm/send/x", expirationTime: null, keys: { p256dh: "p", auth: "a" } },
      capabilities: { maxActions: 2, supportsNotificationActions: true, supportsRequireInteraction: false },
    });
    expect(() => deviceBody({ endpoint: "https://x" }, { actions: true, requireInteraction: true })).toThrow(/incomplete/);
  });

  it("explains missing support and failed subscriptions", () => {
    expect(pushSupport({ isSecureContext: false, navigator: {} as Navigator })).toEqual({ ok: false, reason: expect.stringMatching(/secure origin/) });
    expect(pushSupport({ isSecureContext: true, navigator: { serviceWorker: {} } as unknown as Navigator })).toEqual({ ok: false, reason: expect.stringMatching(/Add to Home Screen/) });
    expect(pushSupport({ isSecureContext: true, navigator: { serviceWorker: {} } as unknown as Navigator, PushManager: {}, Notification: {} })).toEqual({ ok: true });
    expect(subscribeErrorMessage(new DOMException("Registration failed - push service error", "AbortError"))).toMatch(/could not reach its push service.*push service error/);
    expect(subscribeErrorMessage(new DOMException("denied", "NotAllowedError"))).toMatch(/blocked/);
  });
});
