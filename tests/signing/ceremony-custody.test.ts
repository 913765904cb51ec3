import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { db, type Db } from "@/lib/db/client";
import { FAST_TEST, type KeyShare, type Message } from "@/lib/mpc";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { sealSecret } from "@/lib/keystore";
import { createCeremony, createCeremonyShell, ENDED_CEREMONY_GRACE_MS, messagesFor, PARTY, startCeremonyParty, submit, type CeremonyView } from "@/lib/signing/ceremonies";
import { sweepCeremonies, startCeremonySweep } from "@/lib/signing/ceremony-sweep";
import { localDkgParty } from "@/lib/signing/local-party";
import { driveCeremony, type CeremonyTransport } from "@/lib/signing/driver";
import { startKeygenParty, type PartyState } from "@/lib/signing/party";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";

/**
 * Custody of ceremony rows (issue #10): point-to-point messages sealed with their identity as
 * associated data, submissions stored as an HMAC and a sealed answer, key-generation shares deleted
 * when the ceremony ends, everything else by the sweep after the grace period.
 */
const holder = useTestDatabase();

const primes = fixtureSafePrimes(1024);
const auxPrimes = (o: number) => ({ p: primes[o]!, q: primes[o + 1]!, pHat: primes[o + 2]!, qHat: primes[o + 3]! });
const hex32 = () => randomBytes(32).toString("hex");
const isSealed = (b: unknown) => typeof b === "object" && b !== null && Object.keys(b).sort().join(",") === "ct,iv,kid,v,wdek";

type Row = { seq: bigint; phase: string; round: number; from_party: number; to_party: number | null; body: unknown };
const rows = (ceremonyId: string) =>
  db().$queryRaw<Row[]>`SELECT "seq", "phase", "round", "from_party", "to_party", "body" FROM "ceremony_messages" WHERE "ceremony_id" = ${ceremonyId}::uuid ORDER BY "seq"`;

async function signerFor(organizationId: string) {
  return db().signer.create({ data: { organizationId, name: `s-${randomUUID().slice(0, 6)}`, chainId: 31337 } });
}

async function openDkg(organizationId: string) {
  const signer = await signerFor(organizationId);
  const sid = hex32();
  const auxSid = hex32();
  const server = startKeygenParty({ index: PARTY.server, n: 3, threshold: 2, sid, auxSid, primes: Object.values(auxPrimes(0)), profile: FAST_TEST });
  const c = await createCeremony(db(), { id: randomUUID(), organizationId, signerId: signer.id, kind: "dkg", parties: [0, 1, 2], context: { sid, auxSid }, state: server.state, outgoing: server.outgoing });
  return { signer, ceremonyId: c.id, sid, auxSid, initial: await messagesFor(db(), c.id, PARTY.user, 0n) };
}

const fakeMessage = (protocol: Message["protocol"], round: number, from: number, to: number | "all"): Message => ({ v: 1, protocol, sid: "ab".repeat(32), round, from, to, payload: { secret: hex32() } });

describe("ceremony rows at rest", () => {
  let dkg: Awaited<ReturnType<typeof openDkg>>;
  let organizationId: string;

  it("seals point-to-point messages, never stores those addressed to the server, and replays submissions from a sealed answer", async () => {
    ({ organizationId } = await makeUser());
    dkg = await openDkg(organizationId);
    const agent = localDkgParty({ index: 0, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST });
    const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(8), profile: FAST_TEST });
    const onOutcome = async () => ({ ok: true });
    const seenP2p = new Set<string>();
    let replayed = false;
    const send = async (b: { party: number; seq: number; messages: Message[]; after: string }) => {
      const input = { ceremonyId: dkg.ceremonyId, organizationId, party: b.party, seq: b.seq, messages: b.messages, after: BigInt(b.after), profile: FAST_TEST };
      const view = await submit(db(), input, onOutcome);
      if (b.messages.length && !replayed) {
        // The same body under the same sequence number gets the stored answer back, opened from its seal.
        replayed = true;
        expect(await submit(db(), input, onOutcome)).toEqual(view);
        const stored = await db().ceremonySubmission.findUniqueOrThrow({ where: { ceremonyId_party_seq: { ceremonyId: dkg.ceremonyId, party: b.party, seq: b.seq } } });
        expect(isSealed(stored.response)).toBe(true);
        expect(stored.requestHash).toMatch(/^[0-9a-f]{64}$/);
      }
      for (const r of await rows(dkg.ceremonyId)) {
        expect(r.to_party).not.toBe(PARTY.server);
        if (r.to_party === null) expect(r.body).toMatchObject({ protocol: r.phase, round: r.round, from: r.from_party, to: "all" });
        else {
          expect(isSealed(r.body)).toBe(true);
          seenP2p.add(`${r.phase}:${r.from_party}->${r.to_party}`);
        }
      }
      return view;
    };
    const transport: CeremonyTransport = { submit: send, poll: (b) => send({ ...b, seq: 0, messages: [] }) };
    const { outputs } = await driveCeremony<KeyShare>({ transport, parties: [agent, user], initial: dkg.initial });
    expect(outputs.get(0)!.core.publicKey).toBe(outputs.get(2)!.core.publicKey);
    // The server's Feldman shares to the clients were relayed (sealed) while the ceremony ran…
    expect(seenP2p).toContain("keygen:1->0");
    expect(seenP2p).toContain("keygen:1->2");
    const c = await db().ceremony.findUniqueOrThrow({ where: { id: dkg.ceremonyId } });
    expect(c.status).toBe("completed");
    expect(c.serverState).toBeNull();
    // …and are deleted the moment the server's party finished; aux messages stay (sealed) for the grace period.
    const left = await rows(dkg.ceremonyId);
    expect(left.filter((r) => r.phase === "keygen" && r.to_party !== null)).toEqual([]);
    expect(left.some((r) => r.phase === "aux" && r.to_party !== null)).toBe(true);
    expect(left.filter((r) => r.phase === "keygen" && r.to_party === null).length).toBeGreaterThan(0);
  });

  it("binds each sealed body to its ceremony, sender, receiver, protocol and round", async () => {
    const p2p = (await rows(dkg.ceremonyId)).filter((r) => r.to_party !== null);
    const toAgent = p2p.find((r) => r.to_party === 0)!;
    const toUser = p2p.find((r) => r.to_party === 2)!;
    const opened = await messagesFor(db(), dkg.ceremonyId, 0, toAgent.seq - 1n);
    expect(opened[0]!.message).toMatchObject({ from: toAgent.from_party, to: 0, protocol: toAgent.phase, round: toAgent.round });
    // A body moved to another recipient's row no longer opens.
    await db().$executeRaw`UPDATE "ceremony_messages" SET "body" = ${JSON.stringify(toUser.body)}::jsonb WHERE "seq" = ${toAgent.seq}`;
    await expect(messagesFor(db(), dkg.ceremonyId, 0, toAgent.seq - 1n)).rejects.toThrow(/failed authentication/);
    await db().$executeRaw`UPDATE "ceremony_messages" SET "body" = ${JSON.stringify(toAgent.body)}::jsonb WHERE "seq" = ${toAgent.seq}`;
    // So does one whose round was changed.
    await db().$executeRaw`UPDATE "ceremony_messages" SET "round" = "round" + 1 WHERE "seq" = ${toAgent.seq}`;
    await expect(messagesFor(db(), dkg.ceremonyId, 0, toAgent.seq - 1n)).rejects.toThrow(/failed authentication/);
    await db().$executeRaw`UPDATE "ceremony_messages" SET "round" = "round" - 1 WHERE "seq" = ${toAgent.seq}`;
  });

  it("aborts with blame when a sequence number is reused with a different body", async () => {
    const d = await openDkg(organizationId);
    const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: d.sid, auxSid: d.auxSid, primes: auxPrimes(8), profile: FAST_TEST });
    const u1 = user.start();
    const input = { ceremonyId: d.ceremonyId, organizationId, party: 2, seq: 1, messages: u1, after: 0n, profile: FAST_TEST };
    const first: CeremonyView = await submit(db(), input, async () => null);
    expect(first.status).toBe("open");
    const other = u1.map((m) => ({ ...m, payload: { V: hex32() } }));
    await expect(submit(db(), { ...input, messages: other }, async () => null)).rejects.toThrow(/different submission/);
    const c = await db().ceremony.findUniqueOrThrow({ where: { id: d.ceremonyId } });
    expect(c.status).toBe("aborted");
    expect(c.blame).toMatchObject({ party: 2, check: "conflicting_retry" });
    expect(c.serverState).toBeNull();
  });

  it("sweeps: two instances expire each ceremony once, wipe its state, delete its shares, release its reservation; then delete the rest after the grace period", async () => {
    const second = new PrismaClient({ adapter: new PrismaPg({ connectionString: holder.current.url, max: 1 }) }) as Db;
    try {
      // An abandoned key generation with Feldman shares waiting for the clients.
      const d = await openDkg(organizationId);
      await db().ceremonyMessage.deleteMany({ where: { ceremonyId: d.ceremonyId } });
      const dkgState = (await db().ceremony.findUniqueOrThrow({ where: { id: d.ceremonyId } })).serverState;
      expect(isSealed(dkgState)).toBe(true);
      // An abandoned signing session holding a reservation, with a relayed message to its client.
      const signer = await signerFor(organizationId);
      const signId = randomUUID();
      await createCeremonyShell(db(), { id: signId, organizationId, signerId: signer.id, kind: "sign", parties: [0, 1], context: {}, status: "open" });
      const fakeState = { v: 1, phase: "sign", state: {}, pending: [] } as unknown as PartyState;
      expect(await startCeremonyParty(db(), { id: signId, from: "open", state: fakeState, outgoing: [fakeMessage("sign", 1, 1, 0), fakeMessage("sign", 1, 1, "all")], kind: "sign" })).toBe(true);
      const request = await db().signingRequest.create({
        data: { organizationId, signerId: signer.id, ceremonyId: signId, mode: "signer_server", kind: "message", request: {}, spend: [], outcome: "allow", status: "reserved", decision: {} },
      });
      // The key generation's own messages, as the server would have relayed them.
      const relay = [fakeMessage("keygen", 3, PARTY.server, 0), fakeMessage("keygen", 3, PARTY.server, 2), fakeMessage("keygen", 1, PARTY.server, "all"), fakeMessage("aux", 1, PARTY.server, 2)];
      for (const m of relay) {
        const body = m.to === "all" ? m : sealSecret(new TextEncoder().encode(JSON.stringify(m)), `ceremony-message:${d.ceremonyId}:${m.from}:${m.to}:${m.protocol}:${m.round}`);
        await db().ceremonyMessage.create({ data: { ceremonyId: d.ceremonyId, phase: m.protocol, round: m.round, fromParty: m.from, toParty: m.to === "all" ? null : m.to, body: body as never } });
      }
      await db().ceremony.updateMany({ where: { id: { in: [d.ceremonyId, signId] } }, data: { expiresAt: new Date(Date.now() - 1000) } });

      const [a, b] = await Promise.all([sweepCeremonies(db()), sweepCeremonies(second)]);
      expect([...a.expired, ...b.expired].sort()).toEqual([d.ceremonyId, signId].sort());
      expect(a.expired.filter((id) => b.expired.includes(id))).toEqual([]);

      for (const id of [d.ceremonyId, signId]) {
        const c = await db().ceremony.findUniqueOrThrow({ where: { id } });
        expect(c.status).toBe("expired");
        expect(c.serverState).toBeNull();
        expect(c.completedAt).not.toBeNull();
        expect(c.wipedAt).toBeNull();
      }
      expect((await db().signingRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("released");
      // Feldman shares go at once; other point-to-point messages wait out the grace period (sealed).
      const dkgRows = await rows(d.ceremonyId);
      expect(dkgRows.map((r) => `${r.phase}:${r.to_party}`).sort()).toEqual(["aux:2", "keygen:null"]);
      expect((await rows(signId)).map((r) => r.to_party).sort()).toEqual([0, null]);

      // Past the grace period every point-to-point message and submission of an ended ceremony is gone.
      const later = new Date(Date.now() + ENDED_CEREMONY_GRACE_MS + 60_000);
      const [c1, c2] = await Promise.all([sweepCeremonies(db(), later), sweepCeremonies(second, later)]);
      const wiped = [...c1.wiped, ...c2.wiped];
      expect(wiped).toEqual(expect.arrayContaining([d.ceremonyId, signId, dkg.ceremonyId]));
      expect(new Set(wiped).size).toBe(wiped.length);
      expect(await db().ceremonyMessage.count({ where: { toParty: { not: null } } })).toBe(0);
      expect(await db().ceremonySubmission.count({ where: { ceremony: { status: { in: ["completed", "aborted", "expired", "rejected"] } } } })).toBe(0);
      expect(await db().ceremonyMessage.count({ where: { toParty: null, ceremonyId: { in: [d.ceremonyId, signId, dkg.ceremonyId] } } })).toBeGreaterThanOrEqual(3);
      expect((await db().ceremony.findUniqueOrThrow({ where: { id: dkg.ceremonyId } })).wipedAt).not.toBeNull();
      const again = await sweepCeremonies(db(), later);
      expect(again).toMatchObject({ expired: [], wiped: [], deletedMessages: 0, deletedSubmissions: 0 });
    } finally {
      await second.$disconnect();
    }
  });

  it("runs in the background: an expired ceremony is wiped without any request touching it", async () => {
    const d = await openDkg(organizationId);
    await db().ceremony.update({ where: { id: d.ceremonyId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const stop = startCeremonySweep({ intervalMs: 100 });
    try {
      const deadline = Date.now() + 10_000;
      let c = await db().ceremony.findUniqueOrThrow({ where: { id: d.ceremonyId } });
      while (c.status !== "expired" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        c = await db().ceremony.findUniqueOrThrow({ where: { id: d.ceremonyId } });
      }
      expect(c.status).toBe("expired");
      expect(c.serverState).toBeNull();
    } finally {
      stop();
    }
  });
});
