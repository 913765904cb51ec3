/**
 * Key generation with the agent's party on the agent's machine (issue #10): three separate parties
 * (server, the user's "browser", the agent joining with the SDK or the `countersign join` CLI in its
 * own process), point-to-point messages between the agent and the user relayed only as end-to-end
 * ciphertext, a one-time invitation, and refusals when the server substitutes a key.
 */
import { identityPublicKey } from "@/lib/signing/message-auth";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as dkgJoin } from "@/app/api/v1/dkg/join/route";
import { POST as dkgAgentRound } from "@/app/api/v1/dkg/agent/round/route";
import { POST as dkgAgentConfirm } from "@/app/api/v1/dkg/agent/confirm/route";
import { POST as dkgRound } from "@/app/api/v1/dkg/round/route";
import { POST as dkgFinalize } from "@/app/api/v1/dkg/finalize/route";
import { POST as dkgInit } from "@/app/api/v1/dkg/init/route";
import { verifyCredential } from "@/lib/auth/credentials";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import type { KeyShare, Message } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { decryptShareFile } from "@/lib/sdk/share-file";
import { joinSigner, JoinRefusedError } from "@/lib/sdk/join";
import { messagesFor } from "@/lib/signing/ceremonies";
import type { CeremonyResponse, CeremonyTransport } from "@/lib/signing/driver";
import { decodeInvitation, E2eError, encodeInvitation, generateE2eKeyPair, isE2ePayload, joinMac } from "@/lib/signing/e2e";
import { repetitionThreadStats } from "@/lib/signing/repetition-threads";
import { addressOf } from "@/lib/signing/signers";
import { useTestDatabase } from "../helpers/db";
import { childrenLeft, childrenRunning } from "../helpers/processes";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { auxPrimes, createSignerViaBrowserDkg, runUserParty, startRemoteSigner } from "../helpers/signer";

useTestDatabase();
process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";

const PASSPHRASE = "agent share passphrase for the join test";
const isClientP2p = (m: Message) => typeof m.to === "number" && [m.from, m.to].sort().join() === "0,2";

/** Records every message relayed to (responses) or sent by (requests) a client, per party. */
function recorder() {
  const seen: { dir: "sent" | "relayed"; message: Message }[] = [];
  const wrap = (t: CeremonyTransport): CeremonyTransport => ({
    submit: async (input) => {
      for (const message of input.messages) seen.push({ dir: "sent", message });
      const res = await t.submit(input);
      for (const r of res.messages) seen.push({ dir: "relayed", message: r.message });
      return res;
    },
    poll: async (input) => {
      const res = await t.poll(input);
      for (const r of res.messages) seen.push({ dir: "relayed", message: r.message });
      return res;
    },
  });
  /** A fetch for the agent's SDK that records the agent's rounds the same way. */
  const fetchFor = (inner: typeof fetch): typeof fetch => async (input, init) => {
    const req = new Request(input as string | URL, init);
    const path = new URL(req.url).pathname;
    const body = req.method === "POST" ? await req.clone().json().catch(() => null) : null;
    if (path === "/api/v1/dkg/agent/round") for (const message of (body?.messages ?? []) as Message[]) seen.push({ dir: "sent", message });
    const res = await inner(req);
    if (res.ok && (path === "/api/v1/dkg/agent/round" || path === "/api/v1/dkg/join")) {
      const json = (await res.clone().json()) as CeremonyResponse;
      for (const r of json.messages) seen.push({ dir: "relayed", message: r.message });
    }
    return res;
  };
  return { seen, wrap, fetchFor };
}

async function abortCeremony(id: string) {
  await db().ceremony.update({ where: { id }, data: { status: "aborted", completedAt: new Date() } });
}

describe("three-party key generation: the agent joins from its own machine", () => {
  beforeAll(async () => {
    await syncNetworks(db(), configuredNetworks({}));
  });

  it("runs server, user and agent (SDK) as separate parties; 0↔2 travels only as e2e envelopes; the agent gets the API key, the user activates", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie, { name: "Remote bot" });
    expect(started.dkg).toMatchObject({ agentParty: "remote", profile: "fast-test" });
    expect(started.dkg.invitation.token).toMatch(/^csi_[A-Za-z0-9]{12}_/);
    expect(started.dkg.serverNonce).toMatch(/^[0-9a-f]{64}$/);
    // The invitation token is stored as a hash only.
    const inv = await db().ceremonyInvitation.findUniqueOrThrow({ where: { ceremonyId: started.dkg.ceremonyId } });
    expect(JSON.stringify(inv)).not.toContain(started.dkg.invitation.token);
    expect(inv.userKey).toBe(started.keys.publicKey);

    // The dashboard may not run the agent's party in remote mode.
    const asAgent = await call(dkgRound, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, party: 0, seq: 1, messages: [] } });
    expect(asAgent.status).toBe(400);

    const rec = recorder();
    const progress: string[] = [];
    const statsBefore = repetitionThreadStats();
    const threadsBefore = statsBefore.threadsStarted;
    const own = ensureBackendSelected().chosen;
    const agentRun = joinSigner(started.invitation, { fetch: rec.fetchFor(appFetch), primes: auxPrimes(0), pollIntervalMs: 10, onProgress: (e) => progress.push(e.stage) });
    agentRun.catch(() => undefined);
    const [userShare, agent] = await Promise.all([runUserParty(owner.cookie, started, { transport: rec.wrap }), agentRun]);

    expect(agent.share.core.index).toBe(0);
    expect(userShare.core.index).toBe(2);
    expect(agent.share.core.publicKey).toBe(userShare.core.publicKey);
    expect(agent.address).toBe(addressOf(userShare.core.publicKey));
    expect(agent.apiKey).toMatch(/^css_/);
    expect(progress).toEqual(expect.arrayContaining(["joining", "joined", "keygen", "confirming", "done"]));
    expect(await verifyCredential(db(), agent.apiKey)).toMatchObject({ kind: "signer_key", subjectId: started.signerId });
    // The first key generation in this file: the server's pool started its threads, and the agent's
    // aux repetitions ran on threads of its own (one pool per join), as many again.
    const perPool = Math.min(2, Math.max(1, availableParallelism()));
    expect(repetitionThreadStats().threadsStarted - threadsBefore).toBeGreaterThanOrEqual(2 * perPool);
    // …and every range was computed on this process's backend.
    const statsAfter = repetitionThreadStats();
    expect(own).not.toBe("bigint");
    expect((statsAfter.jobsByBackend[own] ?? 0) - (statsBefore.jobsByBackend[own] ?? 0)).toBe(statsAfter.jobsAnswered - statsBefore.jobsAnswered);

    // The agent confirmed first: the signer waits for the user.
    expect((await db().signer.findUniqueOrThrow({ where: { id: started.signerId } })).status).toBe("creating");
    const fin = await call(dkgFinalize, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, publicKey: userShare.core.publicKey } });
    expect(fin.status).toBe(200);
    expect(fin.json).toMatchObject({ apiKey: null, agent: { confirmed: true }, signer: { status: "active", address: agent.address } });
    expect((await call(dkgFinalize, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, publicKey: userShare.core.publicKey } })).status).toBe(409);

    // Every point-to-point message between 0 and 2, sent or relayed, was an end-to-end envelope.
    const p2p = rec.seen.filter((s) => isClientP2p(s.message));
    expect(p2p.filter((s) => s.dir === "sent").map((s) => `${s.message.from}>${s.message.to}`)).toEqual(expect.arrayContaining(["0>2", "2>0"]));
    expect(p2p.filter((s) => s.dir === "relayed").length).toBeGreaterThan(0);
    for (const s of p2p) expect(isE2ePayload(s.message.payload), JSON.stringify(s.message).slice(0, 200)).toBe(true);
    // …and so is whatever the server still holds for them (opened through its own at-rest seal).
    for (const party of [0, 2]) for (const r of await messagesFor(db(), started.dkg.ceremonyId, party, 0n)) if (isClientP2p(r.message)) expect(isE2ePayload(r.message.payload)).toBe(true);
    // No table holds either client's secrets.
    const dump = JSON.stringify(
      await Promise.all([db().ceremony.findMany(), db().ceremonyMessage.findMany(), db().ceremonySubmission.findMany(), db().ceremonyInvitation.findMany(), db().auditEvent.findMany(), db().credential.findMany()]),
      (_k, v) => (typeof v === "bigint" ? v.toString() : v),
    ).toLowerCase();
    for (const share of [agent.share, userShare] as KeyShare[]) {
      for (const secret of [share.core.secretShare, share.aux.p, share.aux.q]) expect(dump).not.toContain(secret.toLowerCase().replace(/^0+/, ""));
    }
    expect(dump).not.toContain(started.pin);

    // Audit trail: created (remote), joined, both confirmations, activated.
    const events = await db().auditEvent.findMany({ where: { resourceId: started.signerId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["signer.created", "signer.agent_joined", "signer.agent_confirmed", "signer.user_confirmed", "signer.activated"]);
    expect(events[0]!.details).toMatchObject({ agentParty: "remote" });
    expect(events[1]!.details).toMatchObject({ agentE2eKey: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // The agent's ceremony token is for this ceremony only, and the API key was handed out once.
    const again = await appFetch("http://localhost:3000/api/v1/dkg/agent/confirm", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer csj_AAAAAAAAAAAA_" + "A".repeat(43) }, body: JSON.stringify({ publicKey: userShare.core.publicKey }) });
    expect(again.status).toBe(401);
  }, 600_000);

  it("makes the invitation one-time (second join 409), refuses unknown (404) and expired (410) ones, and refuses plaintext p2p", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    const agentKeys = generateE2eKeyPair();
    const k = agentKeys.publicKey;
    const body = { token: started.dkg.invitation.token, agentKey: k, agentKeyMac: joinMac(started.pin, started.dkg.ceremonyId, k, started.keys.publicKey), identityKey: agentKeys.identity.publicKey };
    const first = await call(dkgJoin, "POST", "/api/v1/dkg/join", { body });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ceremonyId: started.dkg.ceremonyId, signerId: started.signerId, userKey: started.keys.publicKey, sid: started.dkg.sid, auxSid: started.dkg.auxSid });
    expect(first.json.agentToken).toMatch(/^csj_/);
    expect(first.json.messages.length).toBeGreaterThan(0);
    const second = await call(dkgJoin, "POST", "/api/v1/dkg/join", { body });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ statusCode: 409, message: expect.stringMatching(/already used/) });
    expect((await call(dkgJoin, "POST", "/api/v1/dkg/join", { body: { ...body, token: `csi_${"x".repeat(12)}_${"y".repeat(43)}` } })).status).toBe(404);

    // The browser sees the agent (and can check the MAC); the agent cannot confirm before the server finished.
    const init = await call(dkgInit, "POST", "/x", { cookie: owner.cookie, body: { signerId: started.signerId } });
    expect(init.json.dkg.agent).toEqual({ joined: true, agentKey: k, agentKeyMac: body.agentKeyMac, identityKey: agentKeys.identity.publicKey, confirmed: false });
    const bearer = { authorization: `Bearer ${first.json.agentToken}` };
    const early = await call(dkgAgentConfirm, "POST", "/x", { headers: bearer, body: { publicKey: `02${"11".repeat(32)}` } });
    expect(early.status).toBe(409);
    expect(early.json.message).toMatch(/not finished/);

    // Plaintext 0↔2 messages are refused by both round routes.
    const plain = { v: 1, protocol: "keygen", sid: started.dkg.sid, round: 1, from: 2, to: 0, payload: { secret: "00" } };
    expect((await call(dkgRound, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, party: 2, seq: 1, messages: [plain] } })).status).toBe(400);
    const fromAgent = await call(dkgAgentRound, "POST", "/x", { headers: bearer, body: { seq: 1, messages: [{ ...plain, from: 0, to: 2 }] } });
    expect(fromAgent.status).toBe(400);
    expect(fromAgent.json.message).toMatch(/end-to-end encrypted/);
    expect((await call(dkgAgentRound, "POST", "/x", { body: { seq: 1, messages: [] } })).status).toBe(401);

    const stale = await startRemoteSigner(owner.cookie);
    await db().ceremonyInvitation.update({ where: { ceremonyId: stale.dkg.ceremonyId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(dkgJoin, "POST", "/api/v1/dkg/join", { body: { ...body, token: stale.dkg.invitation.token } })).status).toBe(410);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "signer.agent_joined", resourceId: started.signerId } });
    const auditText = JSON.stringify(audit, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(auditText).toContain(started.dkg.invitation.token.slice(0, 16));
    expect(auditText).not.toContain(started.dkg.invitation.token);
    expect(auditText).not.toContain(first.json.agentToken);
  });

  it("the user refuses an agent key the server substituted (tampered key and MAC in the table)", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    const agentKeys = generateE2eKeyPair();
    const k = agentKeys.publicKey;
    expect((await call(dkgJoin, "POST", "/x", { body: { token: started.dkg.invitation.token, agentKey: k, agentKeyMac: joinMac(started.pin, started.dkg.ceremonyId, k, started.keys.publicKey), identityKey: agentKeys.identity.publicKey } })).status).toBe(200);
    // A server that wants to read the user's messages swaps in its own key; it cannot compute the pin's MAC.
    const mitm = generateE2eKeyPair().publicKey;
    await db().ceremonyInvitation.update({ where: { ceremonyId: started.dkg.ceremonyId }, data: { agentKey: mitm, agentKeyMac: joinMac("ab".repeat(32), started.dkg.ceremonyId, mitm, started.keys.publicKey) } });
    await expect(runUserParty(owner.cookie, started)).rejects.toThrow(/substituted/);
    // Keeping the agent's MAC with another key fails the same way.
    await db().ceremonyInvitation.update({ where: { ceremonyId: started.dkg.ceremonyId }, data: { agentKeyMac: joinMac(started.pin, started.dkg.ceremonyId, k, started.keys.publicKey) } });
    await expect(runUserParty(owner.cookie, started)).rejects.toThrow(E2eError);
  });

  it("the agent refuses another user key than its invitation's, session ids it cannot re-derive, and unsafe primes", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    await db().ceremonyInvitation.update({ where: { ceremonyId: started.dkg.ceremonyId }, data: { userKey: generateE2eKeyPair().publicKey } });
    await expect(joinSigner(started.invitation, { fetch: appFetch, primes: auxPrimes(0) })).rejects.toThrow(JoinRefusedError);

    // Session ids that do not follow from the nonces (spec §8.2) are refused too.
    const other = await startRemoteSigner(owner.cookie);
    const c = await db().ceremony.findUniqueOrThrow({ where: { id: other.dkg.ceremonyId } });
    await db().ceremony.update({ where: { id: c.id }, data: { context: { ...(c.context as object), serverNonce: "cd".repeat(32) } } });
    await expect(joinSigner(other.invitation, { fetch: appFetch, primes: auxPrimes(0) })).rejects.toThrow(/session ids do not follow from its nonces/);
    // Primes that are not safe primes of the profile's size are refused before any round.
    const third = await startRemoteSigner(owner.cookie);
    await expect(joinSigner(third.invitation, { fetch: appFetch, primes: [auxPrimes(0).p, auxPrimes(0).q, auxPrimes(0).pHat, 1000003n] })).rejects.toThrow(/safe prime of 1024 bits/);
  });

  it("starts its primes from the invitation's profile before joining, and stops them when the server runs another", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    const inv = decodeInvitation(started.invitation);
    const script = fileURLToPath(new URL("../../lib/mpc/safe-prime-search.mjs", import.meta.url));
    const stages: string[] = [];
    let lanesAtJoin = -1;
    const watching: typeof fetch = async (input, init) => {
      // The join is held until the search runs: a search that waited for the join's answer never would.
      if (String(input).endsWith("/api/v1/dkg/join")) {
        for (let i = 0; i < 500 && childrenRunning(script).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
        lanesAtJoin = childrenRunning(script).length;
      }
      return appFetch(input, init);
    };
    // This server runs fast-test; the invitation claims production (3072-bit primes: still searching when the answer comes).
    const claimed = encodeInvitation({ ...inv, profile: "production" });
    const err = await joinSigner(claimed, { fetch: watching, onProgress: (e) => stages.push(e.stage === "primes" ? `primes ${e.bits}` : e.stage) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JoinRefusedError);
    expect((err as Error).message).toMatch(/runs profile fast-test, but the invitation was made for production/);
    expect(stages.slice(0, 2)).toEqual(["primes 1536", "joining"]); // the search started first…
    expect(lanesAtJoin).toBeGreaterThanOrEqual(2); // …and was running while the join was on its way
    expect(await childrenLeft(script)).toEqual([]); // the refusal stopped it
  });

  it("aborts with an error naming the agent when a relayed ciphertext from it was altered", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    const agentRun = joinSigner(started.invitation, { fetch: appFetch, primes: auxPrimes(0), pollIntervalMs: 10 });
    const agentOutcome = agentRun.then(
      () => null,
      (e: unknown) => e,
    );
    const flip = (m: Message): Message => {
      if (!(m.from === 0 && m.to === 2 && isE2ePayload(m.payload))) return m;
      const ct = m.payload.e2e.ct;
      return { ...m, payload: { e2e: { ...m.payload.e2e, ct: (ct.startsWith("00") ? "01" : "00") + ct.slice(2) } } };
    };
    const tamper = (t: CeremonyTransport): CeremonyTransport => {
      const fix = (r: CeremonyResponse) => ({ ...r, messages: r.messages.map((x) => ({ ...x, message: flip(x.message) })) });
      return { submit: async (i) => fix(await t.submit(i)), poll: async (i) => fix(await t.poll(i)) };
    };
    const err = await runUserParty(owner.cookie, started, { transport: tamper }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(E2eError);
    expect((err as E2eError).from).toBe(0);
    expect((err as Error).message).toMatch(/from the agent \(party 0\).*failed authentication/);
    await abortCeremony(started.dkg.ceremonyId);
    expect(await agentOutcome).toBeInstanceOf(Error);
  }, 300_000);

  it("a confirmation with another public key marks the signer failed (409), committed", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie);
    // An agent whose confirmation is altered on the way (or a buggy one): the server must not activate.
    const altering: typeof fetch = async (input, init) => {
      const req = new Request(input as string | URL, init);
      if (new URL(req.url).pathname !== "/api/v1/dkg/agent/confirm") return appFetch(req);
      const body = (await req.json()) as { publicKey: string };
      const other = (body.publicKey.startsWith("02") ? "03" : "02") + body.publicKey.slice(2);
      return appFetch(new Request(req.url, { method: "POST", headers: req.headers, body: JSON.stringify({ publicKey: other }) }));
    };
    const agentRun = joinSigner(started.invitation, { fetch: altering, primes: auxPrimes(0), pollIntervalMs: 10 });
    const agentOutcome = agentRun.then(
      () => null,
      (e: unknown) => e,
    );
    const userShare = await runUserParty(owner.cookie, started);
    const err = await agentOutcome;
    expect(err).toMatchObject({ status: 409, message: expect.stringMatching(/differs from the server's; the signer is marked failed/) });
    expect((await db().signer.findUniqueOrThrow({ where: { id: started.signerId } })).status).toBe("failed");
    expect(await db().credential.count({ where: { subjectId: started.signerId } })).toBe(0);
    const fin = await call(dkgFinalize, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, publicKey: userShare.core.publicKey } });
    expect(fin.status).toBe(409);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "signer.agent_confirmed", resourceId: started.signerId } });
    expect(audit.outcome).toBe("failure");
  }, 600_000);

  it("rate-limits POST /dkg/join per client address", async () => {
    const body = { token: `csi_${"q".repeat(12)}_${"r".repeat(43)}`, agentKey: "11".repeat(32), agentKeyMac: "22".repeat(32) };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await call(dkgJoin, "POST", "/api/v1/dkg/join", { body, clientIp: "203.0.113.7" })).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("keeps the one-browser flow behind agentParty \"browser\", recorded in the audit event; 0↔2 is never relayed there", async () => {
    const owner = await makeUser();
    const s = await createSignerViaBrowserDkg(owner.cookie, 31337, "Demo");
    expect(s.apiKey).toMatch(/^css_/);
    expect(s.agentShare.core.publicKey).toBe(s.userShare.core.publicKey);
    const created = await db().auditEvent.findFirstOrThrow({ where: { action: "signer.created", resourceId: s.signer.id } });
    expect(created.details).toMatchObject({ agentParty: "browser" });
    const activated = await db().auditEvent.findFirstOrThrow({ where: { action: "signer.activated", resourceId: s.signer.id } });
    expect(activated.details).toMatchObject({ agentParty: "browser" });
    expect(await db().ceremonyInvitation.count({ where: { ceremony: { signerId: s.signer.id } } })).toBe(0);
  }, 600_000);
});

describe("countersign join as a separate process", () => {
  let server: Server;
  let baseUrl: string;
  let home: string;
  const routes: Record<string, (req: Request) => Promise<Response>> = {
    "/api/v1/dkg/join": (req) => dkgJoin(req, { params: Promise.resolve({}) }),
    "/api/v1/dkg/agent/round": (req) => dkgAgentRound(req, { params: Promise.resolve({}) }),
    "/api/v1/dkg/agent/confirm": (req) => dkgAgentConfirm(req, { params: Promise.resolve({}) }),
  };

  beforeAll(async () => {
    await syncNetworks(db(), configuredNetworks({}));
    home = await mkdtemp(join(tmpdir(), "countersign-join-"));
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const handler = routes[(req.url ?? "").split("?")[0]!];
      if (!handler || req.method !== "POST") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 404, message: "no route" }));
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      try {
        const response = await handler(new Request(`${baseUrl}${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
        res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (err) {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 500, message: String(err) }));
      }
    });
    // Like a real deployment, idle keep-alive sockets close after 5 s (the SDK retries a round on a fresh one).
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(home, { recursive: true, force: true });
  });

  it("joins over HTTP, generates its own primes, and writes the encrypted share file itself", async () => {
    const owner = await makeUser();
    const started = await startRemoteSigner(owner.cookie, { name: "CLI-joined bot" });
    // The wizard builds the invitation with the server's public URL; here the test server's.
    const invitation = encodeInvitation({ baseUrl, ceremonyId: started.dkg.ceremonyId, token: started.dkg.invitation.token, userKey: started.keys.publicKey, pin: started.pin, profile: "fast-test" });
    const sharePath = join(home, "share.json");
    const bin = fileURLToPath(new URL("../../bin/countersign.mjs", import.meta.url));
    const child = spawn(process.execPath, [bin, "join", invitation, "--share", sharePath, "--json"], {
      cwd: tmpdir(),
      env: { ...process.env, HOME: home, COUNTERSIGN_SHARE_PASSPHRASE: PASSPHRASE, COUNTERSIGN_SHARE_FILE: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    try {
      const userShare = await runUserParty(owner.cookie, started, { timeoutMs: 120_000, pollMs: 50 });
      const code = await exited;
      expect(code, stderr).toBe(0);
      // The invitation names the profile, as the wizard's do: the primes start before the join.
      expect(stderr).toMatch(/Generating 4 safe primes of 1024 bits[^]*Joining key generation[^]*Joined signer/);
      expect(stderr).toMatch(/Key generation complete/);
      const summary = JSON.parse(stdout);
      expect(summary).toMatchObject({ signerId: started.signerId, address: addressOf(userShare.core.publicKey), chainId: 31337, baseUrl, path: sharePath });

      const file = await decryptShareFile(await readFile(sharePath, "utf8"), PASSPHRASE);
      expect(file.share.core.index).toBe(0);
      expect(file.share.core.publicKey).toBe(userShare.core.publicKey);
      expect(file.profile).toBe("fast-test");
      expect(await verifyCredential(db(), file.apiKey)).toMatchObject({ subjectId: started.signerId });
      // the identity it signed the key generation with is in the file, and registered on the signer
      expect(file.identity).toHaveLength(32);
      expect((await db().signer.findUniqueOrThrow({ where: { id: started.signerId } })).agentIdentityKey).toBe(identityPublicKey(file.identity!));
      // Its own primes, not the fixtures.
      expect([auxPrimes(0).p, auxPrimes(4).p]).not.toContain(BigInt(`0x${file.share.aux.p}`));

      const fin = await call(dkgFinalize, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: started.dkg.ceremonyId, publicKey: userShare.core.publicKey } });
      expect(fin.json.signer.status).toBe("active");

      // A second run with the same (now used) invitation is refused by the server, and nothing is overwritten.
      const before = await readFile(sharePath, "utf8");
      const rerun = spawn(process.execPath, [bin, "join", invitation, "--share", sharePath, "--force"], { cwd: tmpdir(), env: { ...process.env, HOME: home, COUNTERSIGN_SHARE_PASSPHRASE: PASSPHRASE }, stdio: ["ignore", "pipe", "pipe"] });
      let rerunErr = "";
      rerun.stderr.on("data", (d: Buffer) => (rerunErr += d.toString()));
      const rerunCode = await new Promise<number | null>((resolve) => rerun.on("close", resolve));
      expect(rerunCode).toBe(1);
      expect(rerunErr).toMatch(/409.*already used/);
      expect(await readFile(sharePath, "utf8")).toBe(before);
    } finally {
      child.kill();
    }
  }, 600_000);
});
