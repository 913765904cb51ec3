/**
 * Seed 003's proof-of-human sessions (register / identify / refresh / deregister) end to end through
 * the route handlers, against a real registry on anvil set up as `npm start` does, with proofs from
 * the mock passport provider (the page's scan route, as a signed-in member who confirms with a
 * passkey: the approvals' challenge answered by a software authenticator).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, getAddress, hexToBytes, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { agentRegistryAbi } from "@/lib/identity/abi";
import type { IdentityChain } from "@/lib/identity/registry";
import { createRegisterSession } from "@/lib/identity/sessions";
import { ed25519AgentAddress } from "@/lib/identity/sign";
import { POST as register } from "@/app/api/agent/register/route";
import { GET as registerStatus } from "@/app/api/agent/register/status/route";
import { GET as registerQr } from "@/app/api/agent/register/qr/route";
import { POST as registerCallback } from "@/app/api/agent/register/callback/route";
import { GET as registerExport } from "@/app/api/agent/register/export/route";
import { POST as identify } from "@/app/api/agent/identify/route";
import { GET as identifyStatus } from "@/app/api/agent/identify/status/route";
import { POST as identifyCallback } from "@/app/api/agent/identify/callback/route";
import { POST as refresh } from "@/app/api/agent/refresh/route";
import { GET as refreshStatus } from "@/app/api/agent/refresh/status/route";
import { POST as refreshCallback } from "@/app/api/agent/refresh/callback/route";
import { POST as deregister } from "@/app/api/agent/deregister/route";
import { GET as deregisterStatus } from "@/app/api/agent/deregister/status/route";
import { POST as deregisterCallback } from "@/app/api/agent/deregister/callback/route";
import { POST as scan } from "@/app/api/v1/identity/mock-passport/route";
import { POST as scanChallenge } from "@/app/api/v1/identity/mock-passport/challenge/route";
import { POST as startVerification } from "@/app/api/v1/agents/[id]/identity/sessions/route";
import { GET as identityFace } from "@/app/api/v1/agents/[id]/identity/route";
import { GET as info } from "@/app/api/agent/info/[chainId]/[agentId]/route";
import { GET as verify } from "@/app/api/agent/verify/[chainId]/[agentId]/route";
import { GET as agentsOfHuman } from "@/app/api/agent/agents/[chainId]/[address]/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser, ORIGIN } from "../helpers/http";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";
import { startIdentityDevnet } from "../helpers/identity-devnet";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
let provider: Address;
type Member = { cookie: string; organizationId: string; user: { id: string }; authenticator: SoftAuthenticator };
let member: Member;

/** A signed-in user with a passkey (a software authenticator). */
async function memberWithPasskey(opts: Parameters<typeof makeUser>[0] = { role: "owner" }): Promise<Member> {
  const u = await makeUser(opts);
  const authenticator = new SoftAuthenticator();
  await authenticator.register(u.user.id);
  return { ...u, authenticator };
}

const STAGE_CONFLICT = "Operation not available at current session stage";
const alice = { type: "passport", nationality: "GBR", dateOfBirth: "1990-04-01", documentNumber: "GB1234567", ofacListed: false } as const;
const bob = { type: "passport", nationality: "FRA", dateOfBirth: "1985-06-15", documentNumber: "FR7654321", ofacListed: false } as const;
let docCounter = 0;
/** A document nobody used yet: a new human (the fixed-width counter keeps two numbers from ever colliding). */
const freshHuman = () => ({ ...alice, documentNumber: `NEW${String(++docCounter).padStart(4, "0")}X${Date.now() % 1e6}` });

beforeAll(async () => {
  ({ devnet, network, chain, provider } = await startIdentityDevnet());
  member = await memberWithPasskey();
}, 120_000);

afterAll(async () => {
  await devnet?.stop();
});

// Every test starts sessions from one client address: give each its own minute of the 30-starts budget.
beforeEach(async () => {
  await db().rateLimitBucket.deleteMany({});
});

const q = (token: string) => ({ query: { token } });

/** The member's passkey assertion header for the session (the page's challenge, answered by their authenticator). */
async function assertFor(token: string, who: Member = member): Promise<string> {
  const ch = await call(scanChallenge, "POST", "/api/v1/identity/mock-passport/challenge", { cookie: who.cookie, body: { token } });
  expect(ch.status).toBe(200);
  return assertionHeader(ch.json.challengeId, who.authenticator.assert(ch.json.options.challenge));
}

async function scanFor(token: string, document: object = alice, who: Member = member) {
  const r = await call(scan, "POST", "/api/v1/identity/mock-passport", { cookie: who.cookie, headers: { "x-countersign-assertion": await assertFor(token, who) }, body: { token, document } });
  expect(r.status).toBe(200);
  return r.json as { proof: Record<string, unknown>; callbackUrl: string };
}

async function registerWith(document: object, body: object = { mode: "wallet-free", network: "testnet", disclosures: { minimumAge: 18, ofac: true, nationality: true } }) {
  const started = await call(register, "POST", "/api/agent/register", { body });
  expect(started.status).toBe(200);
  const { proof } = await scanFor(started.json.sessionToken, document);
  const done = await call(registerCallback, "POST", "/api/agent/register/callback", { ...q(started.json.sessionToken), body: proof });
  return { started: started.json, done };
}

describe("POST /api/agent/register → scan → callback → status → export", () => {
  it("wallet-free: the seed's fields at every step, the agent minted by the provider, the key exported once", async () => {
    const r = await call(register, "POST", "/api/agent/register", { body: { mode: "wallet-free", network: "testnet", disclosures: { minimumAge: 18, ofac: true, nationality: true, name: false } } });
    expect(r.status).toBe(200);
    const { sessionToken, agentAddress } = r.json;
    expect(r.json).toEqual({
      sessionToken: expect.stringMatching(/^enc_/),
      deepLink: `${ORIGIN}/identity/mock-passport?token=${encodeURIComponent(sessionToken)}`,
      qrData: `${ORIGIN}/identity/mock-passport?token=${encodeURIComponent(sessionToken)}`,
      agentAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      mode: "wallet-free",
      network: "testnet",
      chainId: devnet.chainId,
      expiresAt: expect.any(Number),
    });
    expect(r.json.expiresAt - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(getAddress(agentAddress)).toBe(agentAddress);

    const s1 = await call(registerStatus, "GET", "/api/agent/register/status", q(sessionToken));
    expect(s1.status).toBe(200);
    expect(s1.json).toEqual({ stage: "qr-ready", sessionToken: expect.stringMatching(/^enc_/), network: "testnet", chainId: devnet.chainId, mode: "wallet-free", agentAddress });
    expect(s1.json.sessionToken).not.toBe(sessionToken);
    // the resealed token opens the same session
    expect((await call(registerStatus, "GET", "/x", q(s1.json.sessionToken))).json.stage).toBe("qr-ready");

    const qr = await call(registerQr, "GET", "/api/agent/register/qr", q(sessionToken));
    expect(qr.json).toEqual({ qrData: r.json.qrData, deepLink: r.json.deepLink, stage: "qr-ready" });

    const early = await call(registerExport, "GET", "/api/agent/register/export", q(sessionToken));
    expect(early.status).toBe(409);
    expect(early.json).toEqual({ error: STAGE_CONFLICT });

    const { proof, callbackUrl } = await scanFor(sessionToken);
    expect(callbackUrl).toBe(`${ORIGIN}/api/agent/register/callback?token=${encodeURIComponent(sessionToken)}`);
    const cb = await call(registerCallback, "POST", "/api/agent/register/callback", { ...q(sessionToken), body: proof });
    expect(cb.status).toBe(200);
    expect(cb.json).toMatchObject({ stage: "completed", agentAddress, agentId: expect.any(Number), txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    const agentId = cb.json.agentId as number;

    const s2 = await call(registerStatus, "GET", "/api/agent/register/status", q(sessionToken));
    expect(s2.json).toEqual({ stage: "completed", agentId, agentAddress, txHash: cb.json.txHash, sessionToken: expect.stringMatching(/^enc_/), mode: "wallet-free", network: "testnet", chainId: devnet.chainId });

    // on chain: minted by the mock provider's authorised account with the proof's disclosures
    const receipt = await publicClientFor(network).getTransactionReceipt({ hash: cb.json.txHash });
    expect(getAddress(receipt.from)).toBe(provider);
    const onchain = await call(info, "GET", "/x", { params: { chainId: String(devnet.chainId), agentId: String(agentId) } });
    expect(onchain.json).toMatchObject({ agentId, agentAddress, isVerified: true, proofProvider: provider, verificationStrength: 2, strengthLabel: "Standard", credentials: { nationality: "GBR", olderThan: 18, ofac: [false, false, false] } });
    // wallet-free: the agent holds its own token
    const holder = await publicClientFor(network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "ownerOf", args: [BigInt(agentId)] });
    expect(getAddress(holder)).toBe(agentAddress);

    const replay = await call(registerCallback, "POST", "/api/agent/register/callback", { ...q(sessionToken), body: proof });
    expect(replay.status).toBe(409);
    expect(replay.json).toEqual({ error: STAGE_CONFLICT });
    expect((await call(registerQr, "GET", "/x", q(sessionToken))).status).toBe(409);

    const exp = await call(registerExport, "GET", "/api/agent/register/export", q(sessionToken));
    expect(exp.status).toBe(200);
    expect(exp.json).toEqual({ privateKey: expect.stringMatching(/^0x[0-9a-f]{64}$/), agentAddress, agentId });
    expect(privateKeyToAccount(exp.json.privateKey).address).toBe(agentAddress);
    const again = await call(registerExport, "GET", "/api/agent/register/export", q(sessionToken));
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "Private key already exported" });
    const row = await db().identitySession.findFirstOrThrow({ where: { agentId } });
    expect(row.sealedAgentKey).toBeNull();
  });

  it("a second agent for the same human fails on the Sybil limit (maxAgentsPerHuman 1); another human registers", async () => {
    const human = freshHuman();
    const first = await registerWith(human);
    expect(first.done.json.stage).toBe("completed");
    const second = await registerWith(human);
    expect(second.done.status).toBe(200);
    expect(second.done.json).toMatchObject({ stage: "failed", error: "Too many agents for this human (maxAgentsPerHuman 1)" });
    expect(second.done.json.agentId).toBeUndefined();
    const status = await call(registerStatus, "GET", "/x", q(second.started.sessionToken));
    expect(status.json).toMatchObject({ stage: "failed", error: "Too many agents for this human (maxAgentsPerHuman 1)" });
    // a failed session has no key to export
    const exp = await call(registerExport, "GET", "/x", q(second.started.sessionToken));
    expect(exp.status).toBe(409);
    const v = await call(verify, "GET", "/x", { params: { chainId: String(devnet.chainId), agentId: String(first.done.json.agentId) } });
    expect(v.json).toMatchObject({ humanAgentCount: 1, maxAgentsPerHuman: 1 });
    expect((await registerWith(freshHuman())).done.json.stage).toBe("completed");
  });

  it("linked: the human's wallet holds the token; ed25519: the key is generated and exported as its seed", async () => {
    const human = privateKeyToAccount(generatePrivateKey()).address;
    const linked = await registerWith(freshHuman(), { mode: "linked", network: "testnet", humanAddress: human.toLowerCase() });
    expect(linked.done.json.stage).toBe("completed");
    const held = await call(agentsOfHuman, "GET", "/x", { params: { chainId: String(devnet.chainId), address: human } });
    expect(held.json.agents).toEqual([linked.done.json.agentId]);

    const ed = await registerWith(freshHuman(), { mode: "ed25519", network: "testnet" });
    expect(ed.done.json.stage).toBe("completed");
    const exp = await call(registerExport, "GET", "/x", q(ed.started.sessionToken));
    const pub = bytesToHex(ed25519.getPublicKey(hexToBytes(exp.json.privateKey)));
    expect(exp.json.agentAddress).toBe(ed25519AgentAddress(pub));
    expect(ed.started.agentAddress).toBe(ed25519AgentAddress(pub));
    const rec = await publicClientFor(network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "getAgent", args: [BigInt(exp.json.agentId)] });
    expect(rec.ed25519Key).toBe(pub);

    // a supplied key: registered, but there is nothing to export
    const own = privateKeyToAccount(generatePrivateKey()).address;
    const supplied = await registerWith(freshHuman(), { mode: "wallet-free", network: "testnet", agentAddress: own });
    expect(supplied.done.json).toMatchObject({ stage: "completed", agentAddress: own });
    const none = await call(registerExport, "GET", "/x", q(supplied.started.sessionToken));
    expect(none.status).toBe(400);
    expect(none.json.error).toBe("No private key held for this session: the agent key was supplied");
  });

  it("400 for a bad mode or a missing humanAddress, 503 \"Service not configured\" for privy and for smartwallet on a chain without the ERC-4337 set-up, 409 for a key already registered", async () => {
    const bad = await call(register, "POST", "/x", { body: { mode: "custodial" } });
    expect(bad.status).toBe(400);
    expect(typeof bad.json.error).toBe("string");
    const linked = await call(register, "POST", "/x", { body: { mode: "linked", network: "testnet" } });
    expect(linked.status).toBe(400);
    expect(linked.json.error).toBe("humanAddress is required for mode linked");
    // smartwallet needs a passkey (400), and a passkey account factory and a bundler on the chain (this devnet has neither: 503; tests/identity/smartwallet.test.ts has them).
    const noPasskey = await call(register, "POST", "/x", { body: { mode: "smartwallet", network: "testnet" } });
    expect(noPasskey.status).toBe(400);
    expect(noPasskey.json.error).toBe("passkeyPublicKey is required for mode smartwallet");
    for (const body of [{ mode: "privy" }, { mode: "smartwallet", passkeyPublicKey: `0x${"11".repeat(64)}` }]) {
      const r = await call(register, "POST", "/x", { body: { ...body, network: "testnet" } });
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ error: "Service not configured" });
    }
    const extra = await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet", custodian: "us" } });
    expect(extra.status).toBe(400);
    // an explicit chain id names its own network
    const byChain = await call(register, "POST", "/x", { body: { mode: "wallet-free", chainId: devnet.chainId } });
    expect(byChain.json).toMatchObject({ network: "testnet", chainId: devnet.chainId });
    const unknownChain = await call(register, "POST", "/x", { body: { mode: "wallet-free", chainId: 5 } });
    expect(unknownChain.status).toBe(400);
    expect(unknownChain.json.error).toBe("Unsupported chain 5");
    const { done } = await registerWith(freshHuman());
    const dup = await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet", agentAddress: done.json.agentAddress } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ error: "Agent key already registered" });
  });

  it("401 for a tampered token or another kind's token, 410 once the 30 minutes are over", async () => {
    const { json } = await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet" } });
    const raw = Buffer.from(json.sessionToken.slice(4), "base64url");
    raw[20] = raw[20]! ^ 1;
    for (const token of [`enc_${raw.toString("base64url")}`, "enc_abc", "garbage"]) {
      const r = await call(registerStatus, "GET", "/x", q(token));
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "Invalid or tampered session token" });
    }
    const asIdentify = await call(identifyStatus, "GET", "/x", q(json.sessionToken));
    expect(asIdentify.status).toBe(401);
    const missing = await call(registerStatus, "GET", "/x");
    expect(missing.status).toBe(400);

    const old = await createRegisterSession(db(), { mode: "wallet-free", network: "testnet" }, ORIGIN, Date.now() - 31 * 60_000);
    for (const [h, m] of [[registerStatus, "GET"], [registerQr, "GET"], [registerExport, "GET"], [registerCallback, "POST"]] as const) {
      const r = await call(h as never, m, "/x", { ...q(old.sessionToken), ...(m === "POST" ? { body: {} } : {}) });
      expect(r.status).toBe(410);
      expect(r.json).toEqual({ error: "Session expired" });
    }
  });

  it("400 for a proof that is not the provider's, for another session's proof, or not meeting the disclosures; the session stays open", async () => {
    const a = (await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet", disclosures: { minimumAge: 21 } } })).json;
    const b = (await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet" } })).json;
    const forB = (await scanFor(b.sessionToken, freshHuman())).proof as { payload: object; signature: string };

    const cases: [object, string][] = [
      [{ hello: "world" }, "Invalid proof: not a mock passport proof"],
      [forB, "Invalid proof: made for another session"],
      [{ ...forB, payload: { ...forB.payload, nullifier: "1" } }, "Invalid proof: bad signature"],
    ];
    for (const [body, error] of cases) {
      const r = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error });
    }
    // a forged signature by any other key
    const forger = privateKeyToAccount(generatePrivateKey());
    const payload = { ...forB.payload, sid: "x" };
    const forged = { provider: "mock-passport", payload, signature: await forger.signMessage({ message: "countersign-mock-passport:v1:" + JSON.stringify(payload) }) };
    expect((await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: forged })).json).toEqual({ error: "Invalid proof: bad signature" });

    // the session asked for 21: a 20-year-old's document does not prove it
    const young = { ...freshHuman(), dateOfBirth: `${new Date().getUTCFullYear() - 20}-01-01` };
    const { proof } = await scanFor(a.sessionToken, young);
    const tooYoung = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: proof });
    expect(tooYoung.status).toBe(400);
    expect(tooYoung.json).toEqual({ error: "Proof does not show age 21 or over" });
    expect((await call(registerStatus, "GET", "/x", q(a.sessionToken))).json.stage).toBe("qr-ready");
  });

  it("the mock passport scan needs a signed-in member", async () => {
    const { json } = await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet" } });
    const r = await call(scan, "POST", "/api/v1/identity/mock-passport", { body: { token: json.sessionToken, document: alice } });
    expect(r.status).toBe(401);
    expect((await call(scanChallenge, "POST", "/x", { body: { token: json.sessionToken } })).status).toBe(401);
    const bad = await call(scan, "POST", "/x", { cookie: member.cookie, body: { token: json.sessionToken, document: { ...alice, nationality: "gb" } } });
    expect(bad.status).toBe(400);
  });
});

describe("the mock passport requires a passkey assertion of a member", () => {
  const started = async () => (await call(register, "POST", "/x", { body: { mode: "wallet-free", network: "testnet" } })).json as { sessionToken: string; agentAddress: string };
  const stage = async (token: string) => (await call(registerStatus, "GET", "/x", q(token))).json.stage;

  it("the scan without an assertion, with a tampered one, or with one made for another session is refused (403); nothing is recorded", async () => {
    const a = await started();
    const b = await started();
    const noHeader = await call(scan, "POST", "/x", { cookie: member.cookie, body: { token: a.sessionToken, document: freshHuman() } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.message).toContain("passkey assertion of a signed-in member");

    // an assertion of session b's challenge presented for session a
    const forB = await assertFor(b.sessionToken);
    const swapped = await call(scan, "POST", "/x", { cookie: member.cookie, headers: { "x-countersign-assertion": forB }, body: { token: a.sessionToken, document: freshHuman() } });
    expect(swapped.status).toBe(403);
    expect(swapped.json.message).toBe("This passkey assertion was made for a different request");

    // a signature that does not verify
    const ch = (await call(scanChallenge, "POST", "/x", { cookie: member.cookie, body: { token: a.sessionToken } })).json;
    const response = member.authenticator.assert(ch.options.challenge);
    const tampered = { ...response, response: { ...response.response, signature: Buffer.from("not a signature").toString("base64url") } };
    const bad = await call(scan, "POST", "/x", { cookie: member.cookie, headers: { "x-countersign-assertion": assertionHeader(ch.challengeId, tampered) }, body: { token: a.sessionToken, document: freshHuman() } });
    expect(bad.status).toBe(403);
    expect(bad.json.message).toMatch(/^Passkey verification failed/);

    // someone else's passkey answering this member's challenge
    const ch2 = (await call(scanChallenge, "POST", "/x", { cookie: member.cookie, body: { token: a.sessionToken } })).json;
    const stranger = new SoftAuthenticator();
    const other = await call(scan, "POST", "/x", { cookie: member.cookie, headers: { "x-countersign-assertion": assertionHeader(ch2.challengeId, stranger.assert(ch2.options.challenge)) }, body: { token: a.sessionToken, document: freshHuman() } });
    expect(other.status).toBe(403);
    expect(other.json.message).toBe("This passkey does not belong to you");

    const row = await db().identitySession.findFirstOrThrow({ where: { agentAddress: a.agentAddress } });
    expect(row.assertedBy).toBeNull();
    expect(await stage(a.sessionToken)).toBe("qr-ready");
    // a member without a passkey cannot even get a challenge
    const nokey = await makeUser({ role: "owner" });
    const none = await call(scanChallenge, "POST", "/x", { cookie: nokey.cookie, body: { token: a.sessionToken } });
    expect(none.status).toBe(400);
  });

  it("the callback refuses a provider-signed proof without a recorded assertion, with a stale one, or naming another member (403); the session stays qr-ready", async () => {
    const { signMockProof } = await import("@/lib/identity/mock-passport");
    const { providerAccount } = await import("@/lib/identity/provider-key");
    const { sessionProofRequest } = await import("@/lib/identity/sessions");
    const account = await providerAccount(db(), "local");
    const a = await started();
    const { request, row } = await sessionProofRequest(db(), a.sessionToken, ORIGIN);
    // Signed by the authorised provider key itself, but no member ever confirmed this session.
    const unasserted = await signMockProof(account, request, freshHuman(), member.user.id);
    const r1 = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: unasserted });
    expect(r1.status).toBe(403);
    expect(r1.json).toEqual({ error: "Mock passport proof refused: no passkey assertion of a signed-in member for this session" });
    expect(await stage(a.sessionToken)).toBe("qr-ready");

    // The member confirms; a proof naming someone else is refused.
    const { proof } = await scanFor(a.sessionToken, freshHuman());
    const impostor = await signMockProof(account, request, freshHuman(), "00000000-0000-4000-8000-000000000000");
    const r2 = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: impostor });
    expect(r2.status).toBe(403);
    expect(r2.json).toEqual({ error: "Mock passport proof refused: made for another member's assertion" });

    // The assertion ages past 5 minutes: refused, still qr-ready.
    await db().identitySession.update({ where: { id: row.id }, data: { assertedAt: new Date(Date.now() - 6 * 60_000) } });
    const r3 = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: proof });
    expect(r3.status).toBe(403);
    expect(r3.json).toEqual({ error: "Mock passport proof refused: the member's passkey assertion is older than 5 minutes" });
    expect(await stage(a.sessionToken)).toBe("qr-ready");

    // Confirmed again: the fresh proof completes.
    const fresh = await scanFor(a.sessionToken, freshHuman());
    const ok = await call(registerCallback, "POST", "/x", { ...q(a.sessionToken), body: fresh.proof });
    expect(ok.json.stage).toBe("completed");
  });

  it("an agent record's session takes only a member of the organization that owns it; a member removed after confirming is refused at the callback", async () => {
    const record = await db().agent.create({ data: { organizationId: member.organizationId, name: "Owned bot", agentAddress: null } });
    const s = (await call(startVerification, "POST", "/x", { params: { id: record.id }, cookie: member.cookie, body: { network: "testnet" } })).json;

    const outsider = await memberWithPasskey();
    const refused = await call(scanChallenge, "POST", "/x", { cookie: outsider.cookie, body: { token: s.sessionToken } });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe("Only a member of the organization that owns this agent can confirm its proof of human");

    // A viewer of the owning organization is a member: they may confirm.
    const viewer = await memberWithPasskey({ role: "viewer", organizationId: member.organizationId });
    const { proof } = await scanFor(s.sessionToken, freshHuman(), viewer);
    await db().membership.delete({ where: { organizationId_userId: { organizationId: member.organizationId, userId: viewer.user.id } } });
    const cb = await call(registerCallback, "POST", "/x", { ...q(s.sessionToken), body: proof });
    expect(cb.status).toBe(403);
    expect(cb.json).toEqual({ error: "Mock passport proof refused: the asserting member no longer belongs to the organization" });
    expect(await stage(s.sessionToken)).toBe("qr-ready");
  });
});

describe("identify, refresh and deregister sessions", () => {
  it("identify: the human's nullifier, agent count and agents", async () => {
    const human = freshHuman();
    const { done } = await registerWith(human);
    const r = await call(identify, "POST", "/api/agent/identify", { body: { network: "testnet" } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ sessionToken: expect.stringMatching(/^enc_/), deepLink: expect.any(String), qrData: expect.any(String), network: "testnet", chainId: devnet.chainId, expiresAt: expect.any(Number) });
    expect((await call(identifyStatus, "GET", "/x", q(r.json.sessionToken))).json).toMatchObject({ stage: "qr-ready" });
    const { proof, callbackUrl } = await scanFor(r.json.sessionToken, human);
    expect(callbackUrl).toContain("/api/agent/identify/callback?token=");
    const cb = await call(identifyCallback, "POST", "/x", { ...q(r.json.sessionToken), body: proof });
    expect(cb.json).toMatchObject({ stage: "completed", agentCount: 1, agents: [done.json.agentId], nullifier: expect.stringMatching(/^\d+$/) });
    const s = await call(identifyStatus, "GET", "/api/agent/identify/status", q(r.json.sessionToken));
    expect(s.json).toEqual({ stage: "completed", sessionToken: expect.stringMatching(/^enc_/), network: "testnet", chainId: devnet.chainId, nullifier: cb.json.nullifier, agentCount: 1, agents: [done.json.agentId] });
    const rec = await publicClientFor(network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "getAgent", args: [BigInt(done.json.agentId)] });
    expect(rec.nullifier.toString()).toBe(cb.json.nullifier);
  });

  it("refresh: a new proof by the same human updates strength and credentials; another human's proof fails", async () => {
    const human = freshHuman();
    const { done } = await registerWith(human);
    const agentId = done.json.agentId as number;
    const start = async () => (await call(refresh, "POST", "/api/agent/refresh", { body: { agentId, network: "testnet", disclosures: { minimumAge: 18, ofac: true } } })).json;
    const s = await start();
    expect(s).toMatchObject({ sessionToken: expect.stringMatching(/^enc_/), agentId, network: "testnet" });
    const { proof } = await scanFor(s.sessionToken, { ...human, type: "id_card", documentNumber: human.documentNumber });
    // id card and passport are different documents: another nullifier
    const other = await call(refreshCallback, "POST", "/x", { ...q(s.sessionToken), body: proof });
    expect(other.json).toMatchObject({ stage: "failed", error: "Proof is from a different human" });

    const s2 = await start();
    const cb = await call(refreshCallback, "POST", "/x", { ...q(s2.sessionToken), body: (await scanFor(s2.sessionToken, { ...human, ofacListed: true })).proof });
    expect(cb.json).toMatchObject({ stage: "completed", agentId, verificationStrength: 2, strengthLabel: "Standard", credentials: { nationality: "", olderThan: 18, ofac: [true, true, true] }, txHash: expect.any(String) });
    const st = await call(refreshStatus, "GET", "/api/agent/refresh/status", q(s2.sessionToken));
    expect(st.json).toMatchObject({ stage: "completed", agentId, proofRefreshedAt: expect.any(Number) });
    const onchain = await call(info, "GET", "/x", { params: { chainId: String(devnet.chainId), agentId: String(agentId) } });
    expect(onchain.json.credentials).toEqual({ nationality: "", olderThan: 18, ofac: [true, true, true] });

    const missing = await call(refresh, "POST", "/x", { body: { agentId: 99999, network: "testnet" } });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Agent not found" });
  });

  it("deregister: the human proves again and the token is burned; another human cannot", async () => {
    const human = freshHuman();
    const { done } = await registerWith(human);
    const { agentId, agentAddress } = done.json;
    const start = async () => await call(deregister, "POST", "/api/agent/deregister", { body: { network: "testnet", agentAddress, disclosures: { minimumAge: 18, ofac: true } } });
    const s = (await start()).json;
    expect(s).toMatchObject({ sessionToken: expect.stringMatching(/^enc_/), agentId, agentAddress, network: "testnet" });
    const wrong = await call(deregisterCallback, "POST", "/x", { ...q(s.sessionToken), body: (await scanFor(s.sessionToken, bob)).proof });
    expect(wrong.json).toMatchObject({ stage: "failed", error: "Proof is from a different human" });

    const s2 = (await start()).json;
    const cb = await call(deregisterCallback, "POST", "/api/agent/deregister/callback", { ...q(s2.sessionToken), body: (await scanFor(s2.sessionToken, human)).proof });
    expect(cb.json).toMatchObject({ stage: "completed", agentId, agentAddress, txHash: expect.any(String) });
    const st = await call(deregisterStatus, "GET", "/api/agent/deregister/status", q(s2.sessionToken));
    expect(st.json).toEqual({ stage: "completed", sessionToken: expect.any(String), network: "testnet", chainId: devnet.chainId, agentId, agentAddress, txHash: cb.json.txHash });
    expect((await call(info, "GET", "/x", { params: { chainId: String(devnet.chainId), agentId: String(agentId) } })).status).toBe(404);
    // the human's slot is free again
    expect((await registerWith(human)).done.json.stage).toBe("completed");

    const gone = await start();
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "Agent not found" });
  });
});

describe("the dashboard's Verify as human", () => {
  it("POST /api/v1/agents/{id}/identity/sessions registers the agent record's identity", async () => {
    const record = await db().agent.create({ data: { organizationId: member.organizationId, name: "Verified bot", agentAddress: null } });
    const r = await call(startVerification, "POST", `/api/v1/agents/${record.id}/identity/sessions`, { params: { id: record.id }, cookie: member.cookie, body: { network: "testnet" } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ mode: "wallet-free", sessionToken: expect.stringMatching(/^enc_/), deepLink: expect.stringContaining("/identity/mock-passport?token=") });
    const cb = await call(registerCallback, "POST", "/x", { ...q(r.json.sessionToken), body: (await scanFor(r.json.sessionToken, freshHuman())).proof });
    expect(cb.json.stage).toBe("completed");
    const face = await call(identityFace, "GET", `/api/v1/agents/${record.id}/identity`, { params: { id: record.id }, cookie: member.cookie });
    expect(face.json).toMatchObject({ status: "registered", identity: { agentId: cb.json.agentId, agentAddress: r.json.agentAddress, isVerified: true, addressMatches: true } });
    const rec = await publicClientFor(network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "getAgent", args: [BigInt(cb.json.agentId)] });
    expect(rec.metadata.name).toBe("Verified bot");

    const again = await call(startVerification, "POST", "/x", { params: { id: record.id }, cookie: member.cookie, body: { network: "testnet" } });
    expect(again.status).toBe(409);
    const other = await makeUser({ role: "owner" });
    expect((await call(startVerification, "POST", "/x", { params: { id: record.id }, cookie: other.cookie, body: {} })).status).toBe(404);
    const viewer = await makeUser({ role: "viewer", organizationId: member.organizationId });
    expect((await call(startVerification, "POST", "/x", { params: { id: record.id }, cookie: viewer.cookie, body: {} })).status).toBe(403);
  });
});
