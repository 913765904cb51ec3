import { beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, UnsecuredJWT } from "jose";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AGENT_TOKEN_SCOPES, grantScopes, needsRotation, stillPublished, tokenTtl } from "@/lib/agents/tokens/claims";
import { jwks, publishedKey, signingKey } from "@/lib/agents/tokens/keys";
import { mintAgentToken, verifyAgentToken } from "@/lib/agents/tokens/tokens";
import { POST as createAgent } from "@/app/api/v1/agents/route";
import { GET as getAgent } from "@/app/api/v1/agents/[id]/route";
import { POST as pauseAgent } from "@/app/api/v1/agents/[id]/pause/route";
import { POST as resumeAgent } from "@/app/api/v1/agents/[id]/resume/route";
import { GET as listAgents } from "@/app/api/v1/agents/route";
import { POST as mint } from "@/app/api/v1/agents/[id]/tokens/route";
import { GET as getJwks } from "@/app/.well-known/jwks.json/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

let owner: Awaited<ReturnType<typeof makeUser>>;
let viewer: Awaited<ReturnType<typeof makeUser>>;
let a: { id: string };
let b: { id: string };

beforeAll(async () => {
  owner = await makeUser();
  viewer = await makeUser({ organizationId: owner.organizationId, role: "viewer" });
  a = (await call(createAgent, "POST", "/x", { cookie: owner.cookie, body: { name: "A" } })).json.agent;
  b = (await call(createAgent, "POST", "/x", { cookie: owner.cookie, body: { name: "B" } })).json.agent;
});

const asAgent = (token: string, id: string) => call(getAgent, "GET", `/api/v1/agents/${id}`, { headers: { "x-aegis-agent-token": token }, params: { id } });
const mintFor = (id: string, body: object = {}, cookie = owner.cookie) => call(mint, "POST", "/x", { cookie, params: { id }, body });

describe("agent tokens", () => {
  it("mints an EdDSA JWT with kid, sub, org, scope, iat, exp ≤ 1 h and iss; it reads its own agent end to end", async () => {
    const r = await mintFor(a.id);
    expect(r.status).toBe(201);
    const header = decodeProtectedHeader(r.json.token);
    expect(header).toMatchObject({ alg: "EdDSA", kid: r.json.kid });
    const claims = decodeJwt(r.json.token);
    expect(claims).toMatchObject({ sub: a.id, org: owner.organizationId, iss: env().origin, scope: [...AGENT_TOKEN_SCOPES].join(" ") });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(new Date(r.json.expiresAt).getTime()).toBe(claims.exp! * 1000);
    // any standard verifier can check it against the published JWKS
    const set = (await call(getJwks, "GET", "/.well-known/jwks.json")).json;
    const jwk = set.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwk.d).toBeUndefined();
    await expect(jwtVerify(r.json.token, await importJWK(jwk, "EdDSA"))).resolves.toBeTruthy();

    const own = await asAgent(r.json.token, a.id);
    expect(own.status).toBe(200);
    expect(own.json.agent.id).toBe(a.id);
    const audit = await db().auditEvent.findFirst({ where: { action: "agent.token_issued", resourceId: a.id } });
    expect(JSON.stringify(audit?.details)).not.toContain(r.json.token.split(".")[2]);
  });

  it("answers 403 when agent A's token is used for agent B, and 401 on routes that take no agent token", async () => {
    const { token } = (await mintFor(a.id)).json;
    const other = await asAgent(token, b.id);
    expect(other.status).toBe(403);
    expect(other.json.message).toBe("This agent token is for another agent");
    const list = await call(listAgents, "GET", "/api/v1/agents", { headers: { "x-aegis-agent-token": token } });
    expect(list.status).toBe(401);
    expect(list.json.message).toMatch(/X-AEGIS-Agent-Token/);
  });

  it("grants only scopes the requester holds, honours a shorter TTL and refuses bad input with 4xx", async () => {
    const short = await mintFor(a.id, { scopes: ["gateway:check"], ttlSeconds: 120 });
    expect(short.status).toBe(201);
    const claims = decodeJwt(short.json.token);
    expect(claims.scope).toBe("gateway:check");
    expect(claims.exp! - claims.iat!).toBe(120);
    // lacks agents:read: cannot read even its own record
    expect((await asAgent(short.json.token, a.id)).status).toBe(403);
    expect((await mintFor(a.id, { ttlSeconds: 7200 })).status).toBe(400);
    expect((await mintFor(a.id, { scopes: ["signers:manage"] })).status).toBe(400);
    expect((await mintFor(a.id, {}, viewer.cookie)).status).toBe(403);
    const key = await makeApiKey(owner.organizationId, ["agents:manage", "trust:read"]);
    const byKey = await call(mint, "POST", "/x", { apiKey: key.secret, params: { id: a.id }, body: {} });
    expect(byKey.status).toBe(201);
    expect(byKey.json.scopes).toEqual(["trust:read"]);
    const tooMuch = await call(mint, "POST", "/x", { apiKey: key.secret, params: { id: a.id }, body: { scopes: ["gateway:check"] } });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.json.message).toMatch(/gateway:check/);
    const otherOrg = await makeUser();
    expect((await mintFor(a.id, {}, otherOrg.cookie)).status).toBe(404);
  });

  it("refuses tampered signatures, swapped claims, alg none and garbage with 401", async () => {
    const { token } = (await mintFor(a.id)).json;
    const [h, p, sig] = token.split(".");
    const flipped = `${h}.${p}.${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`;
    expect((await asAgent(flipped, a.id)).status).toBe(401);
    // a payload swapped to agent B under A's signature
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: b.id })).toString("base64url");
    expect((await asAgent(`${h}.${forged}.${sig}`, b.id)).status).toBe(401);
    const none = new UnsecuredJWT({ org: owner.organizationId, scope: "agents:read" }).setSubject(a.id).setIssuer(env().origin).setIssuedAt().setExpirationTime("10m").setJti("x").encode();
    expect((await asAgent(none, a.id)).status).toBe(401);
    const noneWithKid = `${Buffer.from(JSON.stringify({ alg: "none", kid: decodeProtectedHeader(token).kid })).toString("base64url")}.${p}.`;
    expect((await asAgent(noneWithKid, a.id)).status).toBe(401);
    expect((await asAgent("not.a.jwt", a.id)).json).toEqual({ statusCode: 401, message: "Invalid or expired agent token" });
  });

  it("expires: verified until exp, refused after", async () => {
    const now = new Date();
    const t = await mintAgentToken(db(), { agentId: a.id, organizationId: owner.organizationId, scopes: ["agents:read"], ttlSeconds: 60, now });
    await expect(verifyAgentToken(db(), t.token, new Date(now.getTime() + 30_000))).resolves.toMatchObject({ agentId: a.id, scopes: ["agents:read"] });
    await expect(verifyAgentToken(db(), t.token, new Date(now.getTime() + 61_000))).rejects.toMatchObject({ status: 401 });
  });

  it("rotates keys: the old key keeps verifying its tokens until they expired, the JWKS lists both meanwhile", async () => {
    const first = await signingKey(db(), new Date());
    const t0 = (await db().agentTokenKey.findUniqueOrThrow({ where: { kid: first.kid } })).createdAt;
    const period = env().AGENT_TOKEN_KEY_ROTATION_DAYS * 86_400_000;
    const justBefore = new Date(t0.getTime() + period - 1000);
    const old = await mintAgentToken(db(), { agentId: a.id, organizationId: owner.organizationId, scopes: ["agents:read"], ttlSeconds: 3600, now: justBefore });
    expect(old.kid).toBe(first.kid);
    const later = new Date(t0.getTime() + period + 1000);
    const fresh = await mintAgentToken(db(), { agentId: a.id, organizationId: owner.organizationId, scopes: ["agents:read"], ttlSeconds: 3600, now: later });
    expect(fresh.kid).not.toBe(first.kid);
    expect((await jwks(db(), later)).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([first.kid, fresh.kid]));
    // after rotation the old key's token still verifies while it lives; the new one too
    const mid = new Date(later.getTime() + 30 * 60_000);
    await expect(verifyAgentToken(db(), old.token, mid)).resolves.toMatchObject({ kid: first.kid });
    await expect(verifyAgentToken(db(), fresh.token, mid)).resolves.toMatchObject({ kid: fresh.kid });
    // once every token it could have signed has expired, the old key is no longer published
    const gone = new Date(later.getTime() + 3600_000 + 2000);
    expect((await jwks(db(), gone)).keys.map((k) => k.kid)).toEqual([fresh.kid]);
    await expect(verifyAgentToken(db(), old.token, gone)).rejects.toMatchObject({ status: 401 });
  });

  it("looks the verifying key up by the token's kid (issue #12): the named key only, nothing for a foreign or malformed kid", async () => {
    const { token } = (await mintFor(a.id)).json;
    const kid = decodeProtectedHeader(token).kid!;
    await expect(publishedKey(db(), kid)).resolves.toMatchObject({ kid, publicJwk: expect.objectContaining({ kid }) });
    await expect(publishedKey(db(), "00000000-0000-4000-8000-000000000000")).resolves.toBeNull();
    await expect(publishedKey(db(), "x\u0000y")).resolves.toBeNull();
    // a retired key is found while its tokens may live, not after
    const row = await db().agentTokenKey.findUniqueOrThrow({ where: { kid } });
    const retiredLongAgo = new Date(Date.now() - 2 * 3600_000);
    await db().agentTokenKey.create({ data: { kid: "11111111-1111-4111-8111-111111111111", algorithm: row.algorithm, publicJwk: row.publicJwk as object, sealedPrivateKey: row.sealedPrivateKey as object, createdAt: retiredLongAgo, retiredAt: retiredLongAgo } });
    await expect(publishedKey(db(), "11111111-1111-4111-8111-111111111111")).resolves.toBeNull();
    await expect(publishedKey(db(), "11111111-1111-4111-8111-111111111111", new Date(retiredLongAgo.getTime() + 60_000))).resolves.not.toBeNull();
    // a header naming an unknown or malformed kid is a 401, never a database error
    const [, p, sig] = token.split(".");
    for (const bad of ["00000000-0000-4000-8000-000000000000", "x\u0000y", "'; --"]) {
      const h = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: bad, typ: "JWT" })).toString("base64url");
      const r = await asAgent(`${h}.${p}.${sig}`, a.id);
      expect(r.status, bad).toBe(401);
      expect(r.json).toEqual({ statusCode: 401, message: "Invalid or expired agent token" });
    }
  });

  it("refuses a paused agent's tokens (403) until it resumes", async () => {
    const { token } = (await mintFor(a.id)).json;
    await call(pauseAgent, "POST", "/x", { cookie: owner.cookie, params: { id: a.id } });
    const r = await asAgent(token, a.id);
    expect(r.status).toBe(403);
    expect(r.json.message).toBe("Agent is paused");
    expect((await mintFor(a.id)).status).toBe(403);
    await call(resumeAgent, "POST", "/x", { cookie: owner.cookie, params: { id: a.id } });
    expect((await asAgent(token, a.id)).status).toBe(200);
  });

  it("pure rules: scope grants, TTL bounds, rotation age and publication window", () => {
    expect(grantScopes(undefined, (p) => p === "trust:read")).toEqual({ granted: ["trust:read"], refused: [] });
    expect(grantScopes(["trust:read", "gateway:check"], (p) => p === "trust:read")).toEqual({ granted: ["trust:read"], refused: ["gateway:check"] });
    expect(tokenTtl(undefined)).toBe(3600);
    expect(tokenTtl(99_999)).toBe(3600);
    expect(tokenTtl(1)).toBe(60);
    const d = new Date("2026-01-01T00:00:00Z");
    expect(needsRotation(d, new Date("2026-01-30T23:59:59Z"), 30)).toBe(false);
    expect(needsRotation(d, new Date("2026-01-31T00:00:00Z"), 30)).toBe(true);
    expect(stillPublished(null, d)).toBe(true);
    expect(stillPublished(d, new Date(d.getTime() + 3600_000))).toBe(true);
    expect(stillPublished(d, new Date(d.getTime() + 3600_001))).toBe(false);
  });
});

