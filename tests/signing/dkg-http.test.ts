import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToHex } from "@noble/hashes/utils.js";
import { POST as createSigner, GET as listSigners } from "@/app/api/v1/signers/route";
import { POST as dkgRound } from "@/app/api/v1/dkg/round/route";
import { POST as dkgInit } from "@/app/api/v1/dkg/init/route";
import { POST as dkgFinalize } from "@/app/api/v1/dkg/finalize/route";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST, type KeyShare, type Message } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { addPrime } from "@/lib/signing/prime-pool";
import { localDkgParty } from "@/lib/signing/local-party";
import { driveCeremony, type CeremonyTransport } from "@/lib/signing/driver";
import { addressOf } from "@/lib/signing/signers";
import { repetitionThreadStats, stopRepetitionThreads } from "@/lib/signing/repetition-threads";
import { verifyCredential } from "@/lib/auth/credentials";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();
process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";

const primes = fixtureSafePrimes(1024);
const nonce = () => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
const auxPrimes = (o: number) => ({ p: primes[o]!, q: primes[o + 1]!, pHat: primes[o + 2]!, qHat: primes[o + 3]! });

function transport(cookie: string, ceremonyId: string): CeremonyTransport {
  const post = async (body: object) => {
    const r = await call(dkgRound, "POST", "/api/v1/dkg/round", { cookie, body: { ceremonyId, ...body } });
    if (r.status !== 200) throw new Error(`dkg/round ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json;
  };
  return {
    submit: ({ party, seq, messages, after }) => post({ party, seq, messages, after }),
    poll: ({ party, after }) => post({ party, seq: 0, messages: [], after }),
  };
}

describe("distributed key generation over the API (browser flow: user and agent parties local)", () => {
  beforeAll(async () => {
    await syncNetworks(db(), configuredNetworks({}));
  });
  afterAll(() => stopRepetitionThreads());

  it("creates a 2-of-3 key where the server holds only its own share, then activates the signer with an API key", async () => {
    const owner = await makeUser();
    for (const p of primes.slice(12, 16)) await addPrime(db(), 1024, p);
    const created = await call(createSigner, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "Treasury bot", chainId: 31337, clientNonce: nonce(), agentParty: "browser" } });
    expect(created.status).toBe(201);
    expect(created.json.signer).toMatchObject({ status: "creating", address: null });
    const { dkg } = created.json;
    expect(dkg.profile).toBe("fast-test");
    expect(dkg.messages.length).toBeGreaterThan(0);
    expect(await db().serverPrime.count()).toBe(0); // the server's primes came from the pool

    const again = await call(dkgInit, "POST", "/api/v1/dkg/init", { cookie: owner.cookie, body: { signerId: created.json.signer.id } });
    expect(again.json.dkg.sid).toBe(dkg.sid);

    const agent = localDkgParty({ index: 0, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(0), profile: FAST_TEST });
    const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST });
    const threads = repetitionThreadStats();
    const own = ensureBackendSelected().chosen;
    expect(own).not.toBe("bigint"); // WebAssembly, at least, is faster here: the check below needs a backend other than the default
    const { outputs, serverResult } = await driveCeremony<KeyShare>({ transport: transport(owner.cookie, dkg.ceremonyId), parties: [agent, user], initial: dkg.messages });
    // The server's Π^mod/Π^prm repetitions (its proofs, and its checks of both peers') ran on its
    // repetition threads, on this process's backend (not the BigInt default of a fresh module copy).
    const after = repetitionThreadStats();
    expect(after.threadsStarted).toBeGreaterThan(threads.threadsStarted);
    expect(after.jobsAnswered - threads.jobsAnswered).toBeGreaterThanOrEqual(6);
    expect((after.jobsByBackend[own] ?? 0) - (threads.jobsByBackend[own] ?? 0)).toBe(after.jobsAnswered - threads.jobsAnswered);
    const agentShare = outputs.get(0)!;
    const userShare = outputs.get(2)!;
    expect(agentShare.core.publicKey).toBe(userShare.core.publicKey);
    const address = addressOf(agentShare.core.publicKey);
    expect(serverResult).toEqual({ publicKey: agentShare.core.publicKey, address });

    const fin = await call(dkgFinalize, "POST", "/api/v1/dkg/finalize", { cookie: owner.cookie, body: { ceremonyId: dkg.ceremonyId, publicKey: userShare.core.publicKey } });
    expect(fin.status).toBe(200);
    expect(fin.json.signer).toMatchObject({ status: "active", address });
    expect(fin.json.apiKey.secret.startsWith("css_")).toBe(true);
    const cred = await verifyCredential(db(), fin.json.apiKey.secret);
    expect(cred).toMatchObject({ kind: "signer_key", subjectType: "signer", subjectId: fin.json.signer.id, scopes: ["sign"] });
    expect((await call(dkgFinalize, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: dkg.ceremonyId, publicKey: userShare.core.publicKey } })).status).toBe(409);

    // The database holds the server's share sealed, public data, and nothing of the other shares.
    const dump = JSON.stringify(
      await Promise.all([db().signer.findMany(), db().signerShare.findMany(), db().ceremony.findMany(), db().ceremonyMessage.findMany(), db().ceremonySubmission.findMany(), db().auditEvent.findMany(), db().credential.findMany()]),
      (_k, v) => (typeof v === "bigint" ? v.toString() : v),
    );
    for (const secret of [agentShare.core.secretShare, userShare.core.secretShare, agentShare.aux.p, agentShare.aux.q, userShare.aux.p, userShare.aux.qHat]) {
      expect(dump.toLowerCase()).not.toContain(secret.toLowerCase().replace(/^0+/, ""));
    }
    for (const p of primes.slice(12, 16)) expect(dump).not.toContain(p.toString(16));
    const stored = await db().signerShare.findUniqueOrThrow({ where: { signerId: fin.json.signer.id } });
    expect((stored.public as { publicKey: string }).publicKey).toBe(agentShare.core.publicKey);
    expect((await db().ceremony.findUniqueOrThrow({ where: { id: dkg.ceremonyId } })).serverState).toBeNull();

    const list = await call(listSigners, "GET", "/api/v1/signers", { cookie: owner.cookie });
    expect(list.json.signers.map((s: { address: string }) => s.address)).toEqual([address]);
    const other = await makeUser();
    expect((await call(listSigners, "GET", "/api/v1/signers", { cookie: other.cookie })).json.signers).toEqual([]);
    expect((await call(dkgRound, "POST", "/x", { cookie: other.cookie, body: { ceremonyId: dkg.ceremonyId, party: 2, seq: 99, messages: [] } })).status).toBe(404);
  });

  it("aborts with blame on the sender of a malformed message, replays idempotently, and refuses relaying p2p between clients", async () => {
    const owner = await makeUser();
    for (const p of primes.slice(12, 16)) await addPrime(db(), 1024, p);
    const { json } = await call(createSigner, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "b", chainId: 31337, clientNonce: nonce(), agentParty: "browser" } });
    const { dkg } = json;
    const agent = localDkgParty({ index: 0, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(0), profile: FAST_TEST });
    const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST });
    const a1 = agent.start();
    const u1 = user.start();
    const submitAs = (party: number, seq: number, messages: Message[]) => call(dkgRound, "POST", "/x", { cookie: owner.cookie, body: { ceremonyId: dkg.ceremonyId, party, seq, messages } });

    const p2p = await submitAs(0, 1, [{ ...a1[0]!, to: 2 }]);
    expect(p2p.status).toBe(400);
    const first = await submitAs(2, 1, u1);
    expect(first.status).toBe(200);
    const replay = await submitAs(2, 1, u1);
    expect(replay.json).toEqual(first.json);
    const forged = a1.map((m) => ({ ...m, payload: Object.fromEntries(Object.keys(m.payload as object).map((k) => [k, "zz"])) }));
    const bad = await submitAs(0, 1, forged);
    expect(bad.status).toBe(200);
    expect(bad.json.status).toBe("aborted");
    expect(bad.json.blame).toMatchObject({ party: 0 });
    expect((await submitAs(2, 2, u1)).status).toBe(409);
    const polled = await submitAs(2, 3, []);
    expect(polled.json.status).toBe("aborted");
  });
});
