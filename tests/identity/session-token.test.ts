import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { GoneError, UnauthorizedError } from "@/lib/http/errors";
import { openSessionToken, resealSessionToken, sealSessionToken, sessionKey } from "@/lib/identity/session-token";

const key = new Uint8Array(randomBytes(32));
const T = 1_740_000_000_000;

describe("identity session tokens (enc_, AES-GCM, 30-minute TTL)", () => {
  it("round-trips the state with kind, session id and expiry 30 minutes on", () => {
    const { token, claims } = sealSessionToken(key, "register", { mode: "linked", stage: "qr-ready" }, T);
    expect(token.startsWith("enc_")).toBe(true);
    expect(claims.exp).toBe(T + 1_800_000);
    expect(claims.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(openSessionToken(key, token, "register", T + 1000)).toEqual(claims);
    // the state is not readable in the token
    expect(Buffer.from(token.slice(4), "base64url").toString("latin1")).not.toContain("linked");
  });

  it("a tampered token is 401", () => {
    const { token } = sealSessionToken(key, "register", { stage: "qr-ready" }, T);
    const raw = Buffer.from(token.slice(4), "base64url");
    for (const i of [0, 14, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[i] = bad[i]! ^ 1;
      const err = (() => { try { openSessionToken(key, `enc_${bad.toString("base64url")}`, "register", T); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(UnauthorizedError);
      expect((err as UnauthorizedError).message).toBe("Invalid or tampered session token");
    }
    for (const junk of ["", "enc_", "enc_abc", token.slice(4), `x${token}`]) expect(() => openSessionToken(key, junk, "register", T)).toThrow(UnauthorizedError);
    // another key (another installation) and another kind of session are refused too
    expect(() => openSessionToken(new Uint8Array(randomBytes(32)), token, "register", T)).toThrow(UnauthorizedError);
    expect(() => openSessionToken(key, token, "deregister", T)).toThrow(UnauthorizedError);
  });

  it("an expired token is 410 \"Session expired\"", () => {
    const { token } = sealSessionToken(key, "identify", {}, T);
    expect(openSessionToken(key, token, "identify", T + 1_800_000).kind).toBe("identify");
    const err = (() => { try { openSessionToken(key, token, "identify", T + 1_800_001); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(GoneError);
    expect((err as GoneError).status).toBe(410);
    expect((err as GoneError).message).toBe("Session expired");
  });

  it("resealing keeps the session id and expiry with a fresh ciphertext", () => {
    const { token, claims } = sealSessionToken(key, "register", { stage: "qr-ready" }, T);
    const next = resealSessionToken(key, { ...claims, stage: "completed" });
    expect(next).not.toBe(token);
    expect(openSessionToken<{ stage: string }>(key, next, "register", T)).toEqual({ ...claims, stage: "completed" });
  });

  it("the key is derived from the master key", async () => {
    const a = await sessionKey();
    expect(a).toHaveLength(32);
    expect(Buffer.from(await sessionKey()).equals(Buffer.from(a))).toBe(true);
  });
});
