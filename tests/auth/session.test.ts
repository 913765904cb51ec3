import { describe, expect, it } from "vitest";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { POST as nonce } from "@/app/api/v1/auth/siwe/nonce/route";
import { POST as siweVerify } from "@/app/api/v1/auth/siwe/verify/route";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { POST as verifyEmail } from "@/app/api/v1/auth/verify-email/route";
import { GET as outbox } from "@/app/api/v1/dev/outbox/route";
import { POST as loginChallenge } from "@/app/api/v1/auth/passkey/login-challenge/route";
import { POST as passkeyLogin } from "@/app/api/v1/auth/passkey/login/route";
import { db } from "@/lib/db/client";
import { sendVerificationEmail } from "@/lib/auth/accounts";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

describe("sessions", () => {
  it("logout revokes the session server-side: the old cookie no longer works", async () => {
    const { cookie } = await makeUser();
    expect((await call(me, "GET", "/api/v1/auth/me", { cookie })).status).toBe(200);
    const out = await call(logout, "POST", "/api/v1/auth/logout", { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await call(me, "GET", "/api/v1/auth/me", { cookie })).status).toBe(401);
  });

  it("rejects forged and expired cookies", async () => {
    const { cookie, session } = await makeUser();
    const [name, value] = cookie.split("=") as [string, string];
    expect((await call(me, "GET", "/x", { cookie: `${name}=${value.slice(0, -4)}AAAA` })).status).toBe(401);
    await db().session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(me, "GET", "/x", { cookie })).status).toBe(401);
  });
});

describe("Sign-In With Ethereum", () => {
  async function siweMessage(address: `0x${string}`, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
    const n = (await call(nonce, "POST", "/api/v1/auth/siwe/nonce")).json.nonce as string;
    return createSiweMessage({ domain: "localhost:3000", address, uri: "http://localhost:3000", version: "1", chainId: 1, nonce: n, statement: "Sign in to Countersign", ...overrides });
  }

  it("signs a wallet in, creating its account and organization; the nonce works once", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const message = await siweMessage(account.address);
    const signature = await account.signMessage({ message });
    const r = await call(siweVerify, "POST", "/api/v1/auth/siwe/verify", { body: { message, signature } });
    expect(r.status).toBe(200);
    expect(r.json.user.walletAddress).toBe(account.address);
    const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
    const who = await call(me, "GET", "/api/v1/auth/me", { cookie });
    expect(who.json.organization.role).toBe("owner");
    const replay = await call(siweVerify, "POST", "/api/v1/auth/siwe/verify", { body: { message, signature } });
    expect(replay.status).toBe(400);
  });

  it("refuses another site's message and a signature by another address", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    const foreign = await siweMessage(account.address, { domain: "evil.example" });
    expect((await call(siweVerify, "POST", "/x", { body: { message: foreign, signature: await account.signMessage({ message: foreign }) } })).status).toBe(401);
    const message = await siweMessage(account.address);
    expect((await call(siweVerify, "POST", "/x", { body: { message, signature: await other.signMessage({ message }) } })).status).toBe(401);
  });
});

describe("registration and email verification", () => {
  it("register returns passkey options; a taken email (with a passkey) is 409", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { body: { email: "New@Example.com", name: "New" } });
    expect(r.status).toBe(201);
    expect(r.json.user).toMatchObject({ email: "new@example.com", emailVerified: false });
    expect(r.json.passkeyOptions.rp.id).toBe("localhost");
    expect(r.json.passkeyOptions.authenticatorSelection.residentKey).toBe("required");
    // half-registered (no passkey yet) can be claimed again
    expect((await call(register, "POST", "/x", { body: { email: "new@example.com", name: "Again" } })).status).toBe(201);
    await db().passkey.create({ data: { userId: r.json.user.id, credentialId: "c1", publicKey: Buffer.from([1]), deviceType: "multiDevice", backedUp: true, name: "p" } });
    const taken = await call(register, "POST", "/x", { body: { email: "new@example.com", name: "Thief" } });
    expect(taken.status).toBe(409);
    expect(taken.json).toEqual({ statusCode: 409, message: "An account with this email already exists" });
  });

  it("verification tokens are single-use, stored hashed, for the signed-in account they were sent to, and accept pending invitations", async () => {
    const owner = await makeUser();
    const invitee = await makeUser({ email: "invitee@example.com" });
    const intruder = await makeUser();
    await db().invitation.create({ data: { organizationId: owner.organizationId, email: "invitee@example.com", role: "approver" } });
    await sendVerificationEmail(db(), { id: invitee.user.id, email: "invitee@example.com" });

    // the outbox shows the mail only to the invitee's own session; its body is sealed at rest
    expect((await call(outbox, "GET", "/api/v1/dev/outbox")).json.messages).toEqual([]);
    expect((await call(outbox, "GET", "/api/v1/dev/outbox", { cookie: intruder.cookie })).json.messages).toEqual([]);
    const mine = await call(outbox, "GET", "/api/v1/dev/outbox", { cookie: invitee.cookie });
    expect(mine.json.messages).toHaveLength(1);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mine.json.messages[0].text)![1]!;
    expect(JSON.stringify(await db().emailToken.findMany())).not.toContain(token);
    expect(JSON.stringify(await db().outboxMessage.findMany())).not.toContain(token);

    // not signed in, or signed in as someone else: refused, and the token stays unused
    expect((await call(verifyEmail, "POST", "/api/v1/auth/verify-email", { body: { token } })).status).toBe(401);
    const stolen = await call(verifyEmail, "POST", "/api/v1/auth/verify-email", { cookie: intruder.cookie, body: { token } });
    expect(stolen.status).toBe(403);
    expect(await db().membership.count({ where: { organizationId: owner.organizationId, userId: intruder.user.id } })).toBe(0);

    const ok = await call(verifyEmail, "POST", "/api/v1/auth/verify-email", { cookie: invitee.cookie, body: { token } });
    expect(ok.status).toBe(200);
    expect((await db().membership.findFirstOrThrow({ where: { organizationId: owner.organizationId, userId: invitee.user.id } })).role).toBe("approver");
    const again = await call(verifyEmail, "POST", "/api/v1/auth/verify-email", { cookie: invitee.cookie, body: { token } });
    expect(again.status).toBe(410);
    const bogus = await call(verifyEmail, "POST", "/api/v1/auth/verify-email", { cookie: invitee.cookie, body: { token: "x".repeat(43) } });
    expect(bogus.status).toBe(400);
  });

  it("passkey login rejects an unknown challenge and records the failure", async () => {
    const ch = await call(loginChallenge, "POST", "/api/v1/auth/passkey/login-challenge");
    expect(ch.status).toBe(200);
    expect(ch.json.options.allowCredentials).toEqual([]);
    const fakeClientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: "bm90LWlzc3VlZA", origin: "http://localhost:3000" })).toString("base64url");
    const r = await call(passkeyLogin, "POST", "/api/v1/auth/passkey/login", {
      body: { credential: { id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: fakeClientData, authenticatorData: "AA", signature: "AA" }, clientExtensionResults: {} } },
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("Unknown or expired challenge");
  });
});
