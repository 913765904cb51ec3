import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { POST as createApiKey } from "@/app/api/v1/api-keys/route";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { GET as exportCsv } from "@/app/api/v1/audit-log/export/route";
import { GET as getNotification } from "@/app/api/notifications/[id]/route";
import { DELETE as deleteInvitation } from "@/app/api/v1/invitations/[id]/route";
import { POST as dkgRound } from "@/app/api/v1/dkg/round/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { POST as createDraft } from "@/app/api/drafts/route";
import { POST as addContract } from "@/app/api/v1/contracts/route";
import { POST as simulate } from "@/app/api/v1/signers/[id]/simulate/route";
import { PATCH as approvalSettings } from "@/app/api/v1/approvals/settings/route";
import { POST as pairAgent } from "@/app/api/v1/approvals/agents/route";
import { address, chainId, int8String, uint256String } from "@/lib/api/schemas";
import { AGENT_SUBJECT } from "@/lib/approvals/agents";
import { issueCredential } from "@/lib/auth/credentials";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { badString, MAX_JSON_DEPTH, parseOrThrow, unsafeInputViolations } from "@/lib/http/body";
import { defineRoute } from "@/lib/http/contract";
import { BadRequestError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { proxy } from "@/proxy";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const NUL = "x\u0000y";
const LONE_HIGH = "\ud800";
const CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const WRONG_CHECKSUM = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const SIGNER_ID = "7f0c3a52-9a55-4a57-9f0e-2f6d3c1b8a11";

async function signerKey(organizationId: string) {
  return issueCredential(db(), { organizationId, kind: "signer_key", name: "fuzz signer key", scopes: ["sign"], subjectType: "signer", subjectId: SIGNER_ID });
}
async function agentToken(organizationId: string) {
  return issueCredential(db(), { organizationId, kind: "agent_token", name: "fuzz agent", scopes: ["approvals:read"], subjectType: AGENT_SUBJECT, subjectId: "agt_missing" });
}

describe("strings no column can hold are refused at the contract layer", () => {
  it("classifies NUL, lone surrogates (either half) and accepts paired surrogates", () => {
    expect(badString("ok")).toBeNull();
    expect(badString("\ud83d\ude00")).toBeNull();
    expect(badString(NUL)).toMatch(/NUL/);
    expect(badString(LONE_HIGH)).toMatch(/surrogate/);
    expect(badString("a\udc00")).toMatch(/surrogate/);
    expect(badString("\ud83d\ud83d\ude00")).toMatch(/surrogate/);
  });

  it("walks nested values and keys, naming the field, and bounds depth", () => {
    expect(unsafeInputViolations("body", { a: [{ b: "fine" }, { c: NUL }] })[0]!.field).toBe("body.a.1.c");
    expect(unsafeInputViolations("body", { ["k\u0000"]: 1 })[0]!.code).toBe("invalid_key");
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(unsafeInputViolations("body", deep)[0]!.code).toBe("too_deep");
    let ok: unknown = "x";
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) ok = [ok];
    expect(unsafeInputViolations("body", ok)).toEqual([]);
    // even a schema that takes anything does not see them
    expect(() => parseOrThrow(z.unknown(), { payload: LONE_HIGH }, "body")).toThrow(BadRequestError);
  });

  it("POST /api/v1/api-keys {name: 'x\\u0000y'} and {name: '\\ud800'}: 400 naming body.name", async () => {
    const { cookie } = await makeUser();
    for (const name of [NUL, LONE_HIGH]) {
      const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name, scopes: ["audit:read"] } });
      expect(r.status).toBe(400);
      expect(r.json.statusCode).toBe(400);
      expect(r.json.violations[0].field).toBe("body.name");
    }
    const ok = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "fine", scopes: ["audit:read"] } });
    expect(ok.status).toBe(201);
  });

  it("GET /api/v1/audit-log?q=%00 and its CSV export: 400 in the hybrid body, before any streaming", async () => {
    const { cookie } = await makeUser();
    for (const h of [auditLog, exportCsv]) {
      const r = await call(h, "GET", "/api/v1/audit-log?q=%00", { cookie });
      expect(r.status).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/json/);
      expect(r.json).toMatchObject({ statusCode: 400, error: { code: "VALIDATION_ERROR" } });
      expect(r.json.message).toContain("query.q");
    }
  });

  it("GET /api/notifications/%00: 400 naming params.id in the error family's body", async () => {
    const { cookie } = await makeUser();
    const r = await call(getNotification, "GET", "/api/notifications/%00", { cookie, params: { id: "\u0000" } });
    expect(r.status).toBe(400);
    expect(typeof r.json.error).toBe("string");
    expect(r.json.error).toContain("params.id");
  });
});

describe("malformed percent-encoding in a path", () => {
  it("proxy.ts answers 400 in the path's family body before Next's router fails", async () => {
    const res = proxy(new NextRequest(new URL("http://localhost:3000/api/v1/invitations/%ZZ"), { method: "DELETE" }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 400, error: { code: "VALIDATION_ERROR" } });
    const seed004 = await proxy(new NextRequest(new URL("http://localhost:3000/api/notifications/%E0%A4%A"))).json();
    expect(typeof seed004.error).toBe("string");
    const page = proxy(new NextRequest(new URL("http://localhost:3000/agents/%ZZ")));
    expect(page.status).toBe(400);
    // well-formed paths still pass or redirect as before
    expect(proxy(new NextRequest(new URL("http://localhost:3000/api/v1/invitations/%41"))).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(new NextRequest(new URL("http://localhost:3000/agents"))).status).toBe(307);
  });

  it("handle() turns a params decoding failure into 400, and a literal %ZZ id into 400/404", async () => {
    const { cookie } = await makeUser();
    const rejecting = { params: Promise.reject(new URIError("URI malformed")) };
    rejecting.params.catch(() => undefined);
    const res = await deleteInvitation(new Request("http://localhost:3000/api/v1/invitations/%ZZ", { method: "DELETE", headers: { cookie } }), rejecting);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining("percent-encoding") });
    const literal = await call(deleteInvitation, "DELETE", "/api/v1/invitations/%25ZZ", { cookie, params: { id: "%ZZ" } });
    expect(literal.status).toBe(400);
    const route = handle(defineRoute({ method: "GET", path: "/probe/{id}", summary: "probe", tags: [], auth: ["public"], family: "error", params: z.strictObject({ id: z.string() }), responses: { 200: z.object({ id: z.string() }) } }), async ({ params }) => ({ status: 200, body: { id: params.id } }));
    const failing = { params: Promise.reject(new URIError("URI malformed")) };
    failing.params.catch(() => undefined);
    const r = await route(new Request("http://localhost:3000/probe/%ZZ"), failing);
    expect(r.status).toBe(400);
    expect(typeof (await r.json()).error).toBe("string");
  });
});

describe("numbers are bounded by their storage type", () => {
  it("shared schemas: int8 cursors, uint256 amounts, int4 chain ids", () => {
    expect(int8String.safeParse("9223372036854775807").success).toBe(true);
    expect(int8String.safeParse("9223372036854775808").success).toBe(false);
    expect(int8String.safeParse("9999999999999999999").success).toBe(false);
    expect(uint256String.safeParse((2n ** 256n - 1n).toString()).success).toBe(true);
    expect(uint256String.safeParse((2n ** 256n).toString()).success).toBe(false);
    expect(uint256String.safeParse("9".repeat(78)).success).toBe(false);
    // not a decimal at all: refused by the pattern, without the range check throwing
    for (const v of ["1.5", "-1", "0x10", ""]) {
      expect(uint256String.safeParse(v).success, v).toBe(false);
      expect(int8String.safeParse(v).success, v).toBe(false);
    }
    expect(chainId.safeParse(2_147_483_647).success).toBe(true);
    expect(chainId.safeParse(2_147_483_648).success).toBe(false);
    expect(chainId.safeParse(-1).success).toBe(false);
    expect(chainId.safeParse(2 ** 53).success).toBe(false);
  });

  it('"after": "9999999999999999999" on the round routes is a 400 naming body.after', async () => {
    const { cookie, organizationId } = await makeUser();
    const dkg = await call(dkgRound, "POST", "/api/v1/dkg/round", { cookie, body: { ceremonyId: randomUUID(), party: 2, seq: 0, messages: [], after: "9999999999999999999" } });
    expect(dkg.status).toBe(400);
    expect(dkg.json.violations.map((v: { field: string }) => v.field)).toEqual(["body.after"]);
    const key = await signerKey(organizationId);
    const sign = await call(signRound, "POST", "/api/v1/sign/round", { apiKey: key.secret, body: { sessionId: randomUUID(), seq: 0, messages: [], after: "9999999999999999999" } });
    expect(sign.status).toBe(400);
    expect(sign.json.violations.map((v: { field: string }) => v.field)).toEqual(["body.after"]);
  });

  it("a value of 78 nines is a 400 on /api/drafts and on transaction inputs", async () => {
    const { organizationId, cookie } = await makeUser();
    const agent = await agentToken(organizationId);
    const value = "9".repeat(78);
    const draft = await call(createDraft, "POST", "/api/drafts", { apiKey: agent.secret, body: { signer: CHECKSUMMED, intent: { actions: [{ chainId: 31337, to: CHECKSUMMED, data: "0x", value }] } } });
    expect(draft.status).toBe(400);
    expect(draft.json.error).toContain("body.intent.actions.0.value");
    const key = await signerKey(organizationId);
    const session = await call(signSession, "POST", "/api/v1/sign/session", { apiKey: key.secret, body: { transaction: { to: CHECKSUMMED, value }, clientNonce: "ab".repeat(32) } });
    expect(session.status).toBe(400);
    expect(session.json.violations[0].field).toBe("body.transaction.value");
    const settings = await call(approvalSettings, "PATCH", "/api/v1/approvals/settings", { cookie, body: { passkeyThresholdWei: value } });
    expect(settings.status).toBe(400);
    const pair = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie, body: { mode: "safe", agentAddress: CHECKSUMMED, chainId: 2 ** 31 } });
    expect(pair.status).toBe(400);
    expect(pair.json.violations[0].field).toBe("body.chainId");
  });
});

describe("EIP-55: a mixed-case address must carry a correct checksum", () => {
  it("the shared schema accepts lowercase and checksummed, refuses a wrong checksum", () => {
    expect(address.safeParse(CHECKSUMMED.toLowerCase()).success).toBe(true);
    expect(address.safeParse(CHECKSUMMED).success).toBe(true);
    expect(address.safeParse(WRONG_CHECKSUM).success).toBe(false);
    expect(address.safeParse("0x" + CHECKSUMMED.slice(2).toUpperCase()).success).toBe(true); // one case: no checksum to check
    expect(address.safeParse("0x1234").success).toBe(false);
  });

  it("contracts, drafts, simulate and sign/session refuse a wrong checksum (400) and take the lowercase form", async () => {
    await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: "http://127.0.0.1:9999" }));
    const { cookie, organizationId } = await makeUser();
    const key = await makeApiKey(organizationId, ["signers:manage", "signers:read"]);
    const bad = await call(addContract, "POST", "/api/v1/contracts", { apiKey: key.secret, body: { chainId: 31337, address: WRONG_CHECKSUM, name: "x" } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations[0]).toMatchObject({ field: "body.address", message: expect.stringContaining("EIP-55") });
    const good = await call(addContract, "POST", "/api/v1/contracts", { apiKey: key.secret, body: { chainId: 31337, address: CHECKSUMMED.toLowerCase(), name: "x" } });
    expect(good.status, JSON.stringify(good.json)).toBe(201);

    const agent = await agentToken(organizationId);
    const draft = await call(createDraft, "POST", "/api/drafts", { apiKey: agent.secret, body: { signer: WRONG_CHECKSUM, intent: { actions: [{ chainId: 31337, to: CHECKSUMMED, data: "0x", value: "0" }] } } });
    expect(draft.status).toBe(400);
    expect(draft.json.error).toContain("body.signer");

    const sim = await call(simulate, "POST", `/api/v1/signers/${SIGNER_ID}/simulate`, { cookie, params: { id: SIGNER_ID }, body: { to: WRONG_CHECKSUM } });
    expect(sim.status).toBe(400);
    expect(sim.json.violations[0].field).toBe("body.to");
    const simLower = await call(simulate, "POST", `/api/v1/signers/${SIGNER_ID}/simulate`, { cookie, params: { id: SIGNER_ID }, body: { to: CHECKSUMMED.toLowerCase() } });
    expect(simLower.status).toBe(404); // past validation: no such signer

    const sk = await signerKey(organizationId);
    const session = await call(signSession, "POST", "/api/v1/sign/session", { apiKey: sk.secret, body: { transaction: { to: WRONG_CHECKSUM }, clientNonce: "ab".repeat(32) } });
    expect(session.status).toBe(400);
    expect(session.json.violations[0].field).toBe("body.transaction.to");
  });
});
