import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { POST as nonce } from "@/app/api/v1/auth/siwe/nonce/route";
import { POST as siweVerify } from "@/app/api/v1/auth/siwe/verify/route";
import { POST as passkeyLogin } from "@/app/api/v1/auth/passkey/login/route";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { SIGN_IN_ACCOUNT, SIGN_IN_ADDRESS, SIGN_IN_FLOOD, recordSignInFailure, withSignInAddressLimit } from "@/lib/auth/sign-in-limits";
import { loginOptions } from "@/lib/auth/passkeys";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { startEachTestAtAFreshMinute } from "../helpers/rate-window";
import { call } from "../helpers/http";

useTestDatabase();
startEachTestAtAFreshMinute();

/** A passkey assertion over a fresh login challenge, naming a credential id nobody registered: a 401 "Unknown passkey". */
async function bogusAssertion(id: string) {
  const { challenge } = await loginOptions(db());
  const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: "http://localhost:3000" })).toString("base64url");
  return { credential: { id, rawId: id, type: "public-key", response: { clientDataJSON, authenticatorData: "AAAA", signature: "AAAA" } } };
}

async function passkeyAttempt(clientIp: string, credentialId: string, headers: Record<string, string> = {}) {
  return call(passkeyLogin, "POST", "/api/v1/auth/passkey/login", { body: await bogusAssertion(credentialId), clientIp, headers });
}

async function siweSignIn(clientIp: string, account: PrivateKeyAccount) {
  const n = await call(nonce, "POST", "/api/v1/auth/siwe/nonce", { clientIp });
  if (n.status !== 200) return n;
  const message = createSiweMessage({ domain: "localhost:3000", address: account.address, uri: "http://localhost:3000", version: "1", chainId: 1, nonce: n.json.nonce as string, statement: "Sign in to Countersign" });
  return call(siweVerify, "POST", "/api/v1/auth/siwe/verify", { body: { message, signature: await account.signMessage({ message }) }, clientIp });
}

async function floodFailures(): Promise<number> {
  const rows = await db().rateLimitBucket.findMany({ where: { key: `${SIGN_IN_FLOOD.name}:all` } });
  return rows.reduce((n, r) => n + r.count, 0);
}

describe("sign-in limits per address + account", () => {
  it("one noisy client (address A at account X) cannot lock out another (address B at account Y)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_ACCOUNT.limit + 5; i++) statuses.push((await passkeyAttempt("198.51.100.1", "account-X")).status);
    expect(statuses.slice(0, SIGN_IN_ACCOUNT.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(SIGN_IN_ACCOUNT.limit).every((s) => s === 429)).toBe(true);
    const limited = await passkeyAttempt("198.51.100.1", "account-X");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.json.message).toBe(SIGN_IN_ACCOUNT.message);

    // Another address signing in to another account: unaffected.
    const y = privateKeyToAccount(generatePrivateKey());
    expect((await siweSignIn("198.51.100.2", y)).status).toBe(200);
    // Another address at the same account X is not refused either (its own attempts are its own).
    expect((await passkeyAttempt("198.51.100.3", "account-X")).status).toBe(401);
    // Many addresses at account X do not lock the account for its owner's address.
    for (let i = 0; i < 12; i++) await passkeyAttempt(`203.0.113.${i + 10}`, "account-X");
    expect((await passkeyAttempt("198.51.100.4", "account-X")).status).toBe(401);
  });

  it("rotating X-Real-IP or X-Forwarded-For (TRUST_PROXY unset) does not escape the limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_ACCOUNT.limit + 3; i++) {
      statuses.push((await passkeyAttempt("198.51.100.20", "account-rotating", { "x-real-ip": `10.1.0.${i}`, "x-forwarded-for": `10.2.0.${i}` })).status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(statuses.at(-1)).toBe(429);
    // Claiming the internal header itself is no way out: the helper, like our servers, overwrites it.
    expect((await passkeyAttempt("198.51.100.20", "account-rotating", { "x-countersign-client-ip": "10.9.9.9" })).status).toBe(429);
  });

  it("with TRUST_PROXY=1 counts the address the proxy appended, not the client's own entries", async () => {
    const saved = process.env.TRUST_PROXY;
    process.env.TRUST_PROXY = "1";
    try {
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_ACCOUNT.limit + 1; i++) {
        // The proxy (our socket peer, 10.0.0.1) appends the client's real address 192.0.2.50 on the right.
        statuses.push((await passkeyAttempt("10.0.0.1", "account-proxied", { "x-forwarded-for": `6.6.6.${i}, 192.0.2.50` })).status);
      }
      expect(statuses.at(-1)).toBe(429);
      // Another client behind the same proxy is another address.
      expect((await passkeyAttempt("10.0.0.1", "account-proxied", { "x-forwarded-for": "192.0.2.51" })).status).toBe(401);
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
    }
  });

  it("registration is limited per address + email; the per-address limit covers every sign-in route", async () => {
    const email = `reg-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_ACCOUNT.limit + 1; i++) statuses.push((await call(register, "POST", "/api/v1/auth/register", { body: { email, name: "R" }, clientIp: "198.51.100.30" })).status);
    expect(statuses[0]).toBe(201);
    expect(statuses.at(-1)).toBe(429);
    // The same email from another address is not refused by the limiter.
    expect((await call(register, "POST", "/api/v1/auth/register", { body: { email, name: "R" }, clientIp: "198.51.100.31" })).status).toBe(201);
    // Handlers outside handle() (next-auth's POST) share the per-address counter: the address that used it up is refused there too.
    for (let i = 0; i < SIGN_IN_ADDRESS.limit; i++) await call(nonce, "POST", "/api/v1/auth/siwe/nonce", { clientIp: "198.51.100.32" });
    let reached = 0;
    const nextAuthLike = withSignInAddressLimit(async () => {
      reached++;
      return new Response(null, { status: 302 });
    });
    const na = await call(nextAuthLike, "POST", "/api/auth/signin", { clientIp: "198.51.100.32" });
    expect(na.status).toBe(429);
    expect(na.headers.get("retry-after")).toBeTruthy();
    expect((await call(nextAuthLike, "POST", "/api/auth/signin", { clientIp: "198.51.100.33" })).status).toBe(302);
    expect(reached).toBe(1);
  });
});

describe("the flood circuit", () => {
  it("after a flood of failures refuses addresses without a recent success, and lets recent ones in", async () => {
    const regular = privateKeyToAccount(generatePrivateKey());
    expect((await siweSignIn("198.51.100.40", regular)).status).toBe(200); // a success remembered for this address

    // Failed sign-ins through the route count towards the circuit.
    const before = await floodFailures();
    expect((await passkeyAttempt("198.51.100.41", "flood-probe")).status).toBe(401);
    expect(await floodFailures()).toBe(before + 1);

    // A distributed flood: failures from everywhere reach the threshold.
    const at = Date.now(); // all in one window; the circuit looks at this window and the one before
    for (let i = 0; i < SIGN_IN_FLOOD.limit; i++) await recordSignInFailure(at);

    const stranger = privateKeyToAccount(generatePrivateKey());
    const refused = await siweSignIn("198.51.100.42", stranger);
    expect(refused.status).toBe(429);
    expect(refused.json.message).toBe(SIGN_IN_FLOOD.message);
    const retry = Number(refused.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(2 * SIGN_IN_FLOOD.windowSeconds);
    // Refused attempts are not failures: they do not feed the circuit.
    const during = await floodFailures();
    expect((await passkeyAttempt("198.51.100.43", "flood-probe")).status).toBe(429);
    expect(await floodFailures()).toBe(during);

    // The address that signed in before still gets in, with a valid signature.
    expect((await siweSignIn("198.51.100.40", regular)).status).toBe(200);
  });
});
