/**
 * Authenticated blame through the real API: a signing session opened with the client's identity key
 * has every message signed; the server refuses (and blames) a client message that is not signed by
 * that key, and when a correctly signed message fails a protocol check the stored blame carries the
 * client's signed messages, which anyone can check with the session's identity keys alone. The
 * server's own messages are signed by its long-term key; key generation records every identity, and
 * a remote agent that confirms twice (its answer was lost) gets a fresh key while the unseen one is revoked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bytesToHex } from "@noble/hashes/utils.js";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST, type Message } from "@/lib/mpc";
import { localSignParty } from "@/lib/signing/local-party";
import { newIdentityKey, signMessage, verifyEvidence, verifyMessage, type AuthenticatedBlame } from "@/lib/signing/message-auth";
import { serverIdentity } from "@/lib/signing/server-identity";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as dkgJoin } from "@/app/api/v1/dkg/join/route";
import { POST as dkgAgentConfirm } from "@/app/api/v1/dkg/agent/confirm/route";
import { generateE2eKeyPair, joinMac } from "@/lib/signing/e2e";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { agentIdentityOf, createSignerViaDkg, startRemoteSigner } from "../helpers/signer";

useTestDatabase();

let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createSignerViaDkg>>;
let n = 0;
const nonce = () => (0xb1a0 + ++n).toString(16).padStart(64, "0");

beforeAll(async () => {
  await syncNetworks(db(), configuredNetworks({}));
  owner = await makeUser();
  s = await createSignerViaDkg(owner.cookie, 31337, "Blame bot");
}, 600_000);

async function openSession(identityKey: string) {
  const r = await call(messageSession, "POST", "/api/v1/sign-message/session", { headers: { "x-api-key": s.apiKey }, body: { message: `blame ${n}`, clientNonce: nonce(), identityKey } });
  expect(r.status).toBe(201);
  return r.json as { sessionId: string; sid: string; messageHash: string; signers: number[]; identities: Record<string, string>; messages: { seq: string; message: Message }[] };
}

const round = (sessionId: string, seq: number, messages: Message[]) => call(signRound, "POST", "/api/v1/sign/round", { headers: { "x-api-key": s.apiKey }, body: { sessionId, seq, messages, after: "0" } });

describe("authenticated blame over the API", () => {
  it("binds the session to the client's identity and the server's long-term key, and the server signs its messages", async () => {
    const me = agentIdentityOf(s); // the signer's registered agent identity
    const session = await openSession(me.publicKey);
    const server = await serverIdentity();
    expect(session.identities).toEqual({ "0": me.publicKey, "1": server.publicKey });
    expect(session.messages.length).toBeGreaterThan(0);
    for (const { message } of session.messages) expect(verifyMessage(message, server.publicKey)).toBe(true);
  });

  it("aborts with blame on the client when its message is not signed by the identity it announced", async () => {
    const me = agentIdentityOf(s); // the signer's registered agent identity
    const session = await openSession(me.publicKey);
    const party = localSignParty({ share: s.agentShare, signers: session.signers, messageHash: session.messageHash.slice(2), sid: session.sid, profile: FAST_TEST, identities: session.identities, identity: newIdentityKey() });
    const r = await round(session.sessionId, 1, party.start());
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("aborted");
    expect(r.json.blame).toMatchObject({ party: 0, check: "message_signature" });
    const row = await db().ceremony.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(row.serverState).toBeNull();
  });

  it("stores the client's own signed messages as evidence when a signed message fails a check; a third party verifies it", async () => {
    const me = agentIdentityOf(s); // the signer's registered agent identity
    const session = await openSession(me.publicKey);
    const party = localSignParty({ share: s.agentShare, signers: session.signers, messageHash: session.messageHash.slice(2), sid: session.sid, profile: FAST_TEST, identities: session.identities, identity: me });
    // A malicious agent: its round-1 broadcast carries a broken value, signed with its real identity.
    const out = party.start().map((m) => {
      if (m.to !== "all") return m;
      const broken = { ...m, payload: JSON.parse(JSON.stringify(m.payload).replace(/"([0-9a-f]{16})/, (_x, h: string) => `"${h.split("").reverse().join("")}`)) };
      return signMessage(broken, me.secretKey);
    });
    const r = await round(session.sessionId, 1, out);
    expect(r.json.status).toBe("aborted");
    const stored = (await db().ceremony.findUniqueOrThrow({ where: { id: session.sessionId } })).blame as unknown as AuthenticatedBlame;
    expect(stored.party).toBe(0);
    expect(stored.check).not.toBe("message_signature");
    expect(stored.evidence?.identityKey).toBe(me.publicKey);
    expect(verifyEvidence(stored, session.identities)).toBeNull();
    // The evidence convicts only the party that signed it.
    expect(verifyEvidence({ ...stored, party: 1 }, session.identities)).not.toBeNull();
  });
});

describe("identities at key generation", () => {
  it("records the user's identity at creation and the agent's at join (its X25519 key must be that identity's)", async () => {
    const started = await startRemoteSigner(owner.cookie);
    expect(started.dkg.identities).toEqual({ "1": (await serverIdentity()).publicKey, "2": started.keys.identity.publicKey });
    const agent = generateE2eKeyPair();
    const other = generateE2eKeyPair();
    const body = { token: started.dkg.invitation.token, agentKey: agent.publicKey, agentKeyMac: joinMac(started.pin, started.dkg.ceremonyId, agent.publicKey, started.keys.publicKey) };
    expect((await call(dkgJoin, "POST", "/api/v1/dkg/join", { body })).status).toBe(400);
    expect((await call(dkgJoin, "POST", "/api/v1/dkg/join", { body: { ...body, identityKey: other.identity.publicKey } })).status).toBe(400);
    const joined = await call(dkgJoin, "POST", "/api/v1/dkg/join", { body: { ...body, identityKey: agent.identity.publicKey } });
    expect(joined.status).toBe(200);
    expect(joined.json.identities).toMatchObject({ "0": agent.identity.publicKey, "2": started.keys.identity.publicKey });
  });

  it("refuses a user identity whose X25519 image is not the user's key", async () => {
    const a = generateE2eKeyPair();
    const b = generateE2eKeyPair();
    const r = await call((await import("@/app/api/v1/signers/route")).POST, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "x", chainId: 31337, clientNonce: bytesToHex(crypto.getRandomValues(new Uint8Array(32))), userKey: a.publicKey, userIdentityKey: b.identity.publicKey } });
    expect(r.status).toBe(400);
    expect(r.json.violations?.[0]?.field).toBe("body.userIdentityKey");
  });
});

describe("a lost confirmation answer", () => {
  it("lets the same agent confirm again: the unseen key is revoked and a fresh one issued", async () => {
    // createSignerViaDkg's agent already confirmed; confirm again with its ceremony token through the SDK's own path is not exposed,
    // so run a fresh three-party key generation and capture the agent token from the join answer.
    const { joinSigner } = await import("@/lib/sdk/join");
    const { appFetch } = await import("../helpers/app-fetch");
    const { runUserParty, auxPrimes } = await import("../helpers/signer");
    const started = await startRemoteSigner(owner.cookie);
    let agentToken = "";
    const spy: typeof fetch = async (input, init) => {
      const res = await appFetch(input, init);
      if (String(input).endsWith("/api/v1/dkg/join") && res.ok) agentToken = ((await res.clone().json()) as { agentToken: string }).agentToken;
      return res;
    };
    const agentRun = joinSigner(started.invitation, { fetch: spy, primes: auxPrimes(0), pollIntervalMs: 10 });
    const [userShare, agent] = await Promise.all([runUserParty(owner.cookie, started), agentRun]);
    const again = await call(dkgAgentConfirm, "POST", "/api/v1/dkg/agent/confirm", { headers: { authorization: `Bearer ${agentToken}` }, body: { publicKey: userShare.core.publicKey } });
    expect(again.status).toBe(200);
    expect(again.json.apiKey.secret).not.toBe(agent.apiKey);
    const keys = await db().credential.findMany({ where: { subjectType: "signer", subjectId: started.signerId } });
    expect(keys.filter((k) => k.revokedAt === null).map((k) => k.prefix)).toEqual([again.json.apiKey.prefix]);
    const wrong = await call(dkgAgentConfirm, "POST", "/api/v1/dkg/agent/confirm", { headers: { authorization: `Bearer ${agentToken}` }, body: { publicKey: `02${"11".repeat(32)}` } });
    expect(wrong.status).toBe(409);
  }, 600_000);
});

describe("a client blames the server", () => {
  it("reports the abort with the server's own signed message as evidence; the stored blame is checked and convicts the server", async () => {
    const { CountersignAgent } = await import("@/lib/sdk/agent");
    const { appFetch } = await import("../helpers/app-fetch");
    const server = await serverIdentity();
    let sessionId = "";
    // A misbehaving server: its round-1 broadcast to the agent is broken, yet signed with its real identity.
    const breakIt = (m: Message): Message => {
      if (m.from !== 1 || m.round !== 1 || m.to !== "all") return m;
      return signMessage({ ...m, payload: JSON.parse(JSON.stringify(m.payload).replace(/"([0-9a-f]{16})/, (_x, h: string) => `"${h.split("").reverse().join("")}`)) }, server.secretKey);
    };
    const evil: typeof fetch = async (input, init) => {
      const res = await appFetch(input, init);
      const url = String(input);
      if (!(url.endsWith("/api/v1/sign-message/session") || url.endsWith("/api/v1/sign/round")) || !res.ok) return res;
      const body = (await res.json()) as { sessionId?: string; messages: { seq: string; message: Message }[] };
      if (body.sessionId) sessionId = body.sessionId;
      return new Response(JSON.stringify({ ...body, messages: body.messages.map((r) => ({ ...r, message: breakIt(r.message) })) }), { status: res.status, headers: res.headers });
    };
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: evil, signerId: s.signer.id, chainId: 31337 });
    await expect(agent.signMessage("blame the server")).rejects.toThrow(/aborted/);
    const row = await db().ceremony.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.status).toBe("aborted");
    const blame = row.blame as unknown as AuthenticatedBlame & { reportedBy: number; evidenceVerified: boolean };
    expect(blame).toMatchObject({ party: 1, reportedBy: 0, evidenceVerified: true });
    expect(blame.evidence?.identityKey).toBe(server.publicKey);
    expect(verifyEvidence(blame, { "0": "00".repeat(32), "1": server.publicKey })).toBeNull();
    expect(row.serverState).toBeNull();
  });
});
