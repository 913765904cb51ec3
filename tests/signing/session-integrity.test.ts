/**
 * Issue 10, "every party signs only what it computed", through the real API on a real signer:
 * - the agent SDK refuses a session whose digest, sid or filled transaction the server (here: a
 *   man in the middle of its fetch) altered, before its party sends anything;
 * - the sessions carry both nonces so a client can re-derive the sid;
 * - the server's party recomputes its digest and sid from the stored request and refuses to start on
 *   a ceremony row whose stored messageHash (or transaction, or sid) was altered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { keccak256, parseEther, recoverMessageAddress, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { signingHash } from "@/lib/chain/tx-codec";
import { FAST_TEST } from "@/lib/mpc";
import { deriveSid } from "@/lib/mpc/transcript";
import { CountersignAgent, TamperedSessionError } from "@/lib/sdk/agent";
import { signerParticipants } from "@/lib/signing/participants";
import { startServerParty, TamperedCeremonyError } from "@/lib/signing/sign-sessions";
import { txFromJson, type TxJson } from "@/lib/signing/transaction-json";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { GET as sessionStatus } from "@/app/api/v1/sign/session/[id]/route";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { POST as userSession } from "@/app/api/v1/signers/[id]/sign/session/route";
import { GET as userSessionStatus } from "@/app/api/v1/signers/[id]/sign/session/[sessionId]/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { activateRules, agentIdentityOf, createDealtSigner } from "../helpers/signer";

useTestDatabase();

let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
// EIP-55 checksummed (a mixed-case address with a wrong checksum is refused with 400).
const recipient = "0x000000000000000000000000000000000000F00D";
let n = 0;
const clientNonce = () => (0xc000 + ++n).toString(16).padStart(64, "0");

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  s = await createDealtSigner(owner, 31337, "Integrity bot");
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: s.signer.address, value: parseEther("1") }) });
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

type Json = Record<string, unknown>;

/**
 * appFetch with a man in the middle: `tamper` rewrites the JSON of session responses; every
 * round request is recorded (a refused session must not reach one).
 */
function tamperingFetch(tamper: (session: Json) => Json) {
  const rounds: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input as string | URL, init);
    const path = new URL(req.url).pathname;
    if (path.endsWith("/round")) rounds.push(path);
    const res = await appFetch(req);
    if (!/\/session$/.test(path) || !res.ok) return res;
    const body = tamper((await res.json()) as Json);
    return new Response(JSON.stringify(body), { status: res.status, headers: { "content-type": "application/json" } });
  };
  return { rounds, fetch: fetchFn };
}

const agentWith = (f: typeof fetch) => new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: f });

async function refusal(p: Promise<unknown>): Promise<TamperedSessionError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TamperedSessionError);
  return err as TamperedSessionError;
}

describe("session responses carry both nonces; the sid derives from them", () => {
  it("agent and dashboard sessions, and their status endpoints, return serverNonce and clientNonce", async () => {
    const nonce = clientNonce();
    const r = await call(signSession, "POST", "/x", { apiKey: s.apiKey, body: { transaction: { to: recipient, value: "1" }, clientNonce: nonce, identityKey: agentIdentityOf(s).publicKey } });
    expect(r.status).toBe(201);
    expect(r.json.clientNonce).toBe(nonce);
    expect(r.json.serverNonce).toMatch(/^[0-9a-f]{64}$/);
    const sid = bytesToHex(
      deriveSid({
        protocol: "sign",
        keyId: s.signer.id,
        participants: signerParticipants(),
        serverNonce: hexToBytes(r.json.serverNonce),
        clientNonce: hexToBytes(nonce),
        messageHash: hexToBytes(r.json.messageHash.slice(2)),
        signers: [0, 1],
      }),
    );
    expect(r.json.sid).toBe(sid);
    const status = await call(sessionStatus, "GET", "/x", { apiKey: s.apiKey, params: { id: r.json.sessionId } });
    expect(status.json).toMatchObject({ serverNonce: r.json.serverNonce, clientNonce: nonce, sid });
    const m = await call(messageSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "nonces", clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } });
    expect(m.json.serverNonce).toMatch(/^[0-9a-f]{64}$/);
    const u = await call(userSession, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { transaction: { to: recipient, value: "1" }, clientNonce: nonce } });
    expect(u.status).toBe(201);
    expect(u.json).toMatchObject({ clientNonce: nonce, signers: [1, 2], party: 2 });
    expect(u.json.serverNonce).not.toBe(r.json.serverNonce);
    const us = await call(userSessionStatus, "GET", "/x", { cookie: owner.cookie, params: { id: s.signer.id, sessionId: u.json.sessionId } });
    expect(us.json).toMatchObject({ serverNonce: u.json.serverNonce, clientNonce: nonce, sid: u.json.sid });
  });
});

describe("the agent SDK refuses a tampered session before its party sends anything", () => {
  it("still signs an untampered session", async () => {
    const { rounds, fetch } = tamperingFetch((b) => b);
    const signed = await agentWith(fetch).signMessage("untouched");
    expect(await recoverMessageAddress({ message: "untouched", signature: signed.signature })).toBe(s.signer.address);
    expect(rounds.length).toBeGreaterThan(0);
  });

  it("a different digest", async () => {
    const { rounds, fetch } = tamperingFetch((b) => ({ ...b, messageHash: keccak256(toHex("pay the attacker")) }));
    expect((await refusal(agentWith(fetch).signMessage("hello"))).field).toBe("messageHash");
    expect((await refusal(agentWith(fetch).sendTransaction({ to: recipient, value: 1n }))).field).toBe("messageHash");
    expect(rounds).toEqual([]);
  });

  it("a different sid or server nonce", async () => {
    const a = tamperingFetch((b) => ({ ...b, sid: "ab".repeat(32) }));
    expect((await refusal(agentWith(a.fetch).signMessage("hello"))).field).toBe("sid");
    const b = tamperingFetch((x) => ({ ...x, serverNonce: "cd".repeat(32) }));
    expect((await refusal(agentWith(b.fetch).sendTransaction({ to: recipient, value: 1n }))).field).toBe("sid");
    const c = tamperingFetch(({ serverNonce: _drop, ...x }) => x);
    expect((await refusal(agentWith(c.fetch).signMessage("hello"))).field).toBe("nonce");
    expect([...a.rounds, ...b.rounds, ...c.rounds]).toEqual([]);
  });

  it("a different transaction, even with a digest that matches it", async () => {
    const { rounds, fetch } = tamperingFetch((b) => {
      const forged = { ...(b.transaction as TxJson), to: "0x000000000000000000000000000000000000dEaD" };
      return { ...b, transaction: forged, messageHash: signingHash(txFromJson(forged)) };
    });
    const err = await refusal(agentWith(fetch).sendTransaction({ to: recipient, value: 1n }));
    expect(err.field).toBe("transaction");
    expect(err.message).toMatch(/differs from the one requested/);
    expect(rounds).toEqual([]);
  });
});

describe("the server recomputes its digest from the stored request", () => {
  /** A session parked for approval: the server's party has not started, so the row can be altered first. */
  async function parked(kind: "transaction" | "message") {
    const r =
      kind === "transaction"
        ? await call(signSession, "POST", "/x", { apiKey: s.apiKey, body: { transaction: { to: recipient, value: parseEther("0.5").toString() }, clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } })
        : await call(messageSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "park me", clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } });
    expect(r.status).toBe(202);
    return r.json as { sessionId: string; messageHash: Hex };
  }
  const alter = async (id: string, change: (ctx: Json) => Json) => {
    const c = await db().ceremony.findUniqueOrThrow({ where: { id } });
    await db().ceremony.update({ where: { id }, data: { context: change(c.context as Json) as never } });
  };
  const start = (ceremonyId: string) => startServerParty(db(), { ceremonyId, signerId: s.signer.id, from: "pending_approval", profile: FAST_TEST });

  beforeAll(async () => {
    await activateRules(owner.organizationId, s.signer.id, [
      { id: "big", when: { field: "value", op: "gt", value: parseEther("0.1").toString() }, action: "require_approval" },
      { id: "messages", when: { field: "kind", op: "eq", value: "message" }, action: "require_approval" },
    ]);
  });

  it("starts an unaltered parked session", async () => {
    const p = await parked("message");
    expect(await start(p.sessionId)).toBe(true);
    const row = await db().ceremony.findUniqueOrThrow({ where: { id: p.sessionId } });
    expect(row.status).toBe("open");
  });

  it("refuses a row whose stored messageHash was altered, aborts it and keeps no server state", async () => {
    for (const kind of ["transaction", "message"] as const) {
      const p = await parked(kind);
      await alter(p.sessionId, (ctx) => ({ ...ctx, messageHash: keccak256(toHex(`forged ${kind}`)).slice(2) }));
      const err = await start(p.sessionId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TamperedCeremonyError);
      expect((err as Error).message).toMatch(/digest/);
      const row = await db().ceremony.findUniqueOrThrow({ where: { id: p.sessionId } });
      expect(row.status).toBe("aborted");
      expect(row.serverState).toBeNull();
    }
  });

  it("refuses a row whose transaction, message or sid was altered (the digest is never read back)", async () => {
    const cases: [kind: "transaction" | "message", change: (ctx: Json) => Json, text: RegExp][] = [
      ["transaction", (ctx) => ({ ...ctx, transaction: { ...(ctx.transaction as TxJson), to: "0x000000000000000000000000000000000000dead" } }), /digest/],
      ["message", (ctx) => ({ ...ctx, request: { kind: "message", message: "something else" } }), /digest/],
      ["message", (ctx) => ({ ...ctx, sid: "ab".repeat(32) }), /session id/],
      ["message", (ctx) => ({ ...ctx, serverNonce: "ef".repeat(32) }), /session id/],
      ["message", (ctx) => ({ ...ctx, signers: [0, 2] }), /signers/],
    ];
    for (const [kind, change, text] of cases) {
      const p = await parked(kind);
      await alter(p.sessionId, change);
      await expect(start(p.sessionId)).rejects.toThrow(text);
      expect((await db().ceremony.findUniqueOrThrow({ where: { id: p.sessionId } })).status).toBe("aborted");
    }
  });

  it("refuses a session whose digest differs from the one its signing request (the approver's decision) was bound to", async () => {
    const p = await parked("message");
    await db().signingRequest.update({ where: { ceremonyId: p.sessionId }, data: { messageHash: keccak256(toHex("approved something else")) } });
    await expect(start(p.sessionId)).rejects.toThrow(/signing request/);
    expect((await db().ceremony.findUniqueOrThrow({ where: { id: p.sessionId } })).status).toBe("aborted");
  });
});
