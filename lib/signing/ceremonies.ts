/**
 * Ceremonies: MPC protocol runs in which the server is one party, persisted so that any instance
 * can continue any run. Each client submission is applied with compare-and-swap on the ceremony's
 * version: the heavy cryptography runs outside the transaction, and a submission that lost a race
 * is recomputed from the fresh state. Retrying a submission with the same body returns the stored
 * answer; a different body under the same sequence number aborts the ceremony (blame on the caller).
 */
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import type { CeremonyKind } from "@/lib/generated/prisma/enums";
import type { Db, DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { BadRequestError, ConflictError, ForbiddenError, GoneError, NotFoundError } from "@/lib/http/errors";
import type { Message, ProtocolBlame, SecurityProfile } from "@/lib/mpc";
import { advanceParty, type PartyResult, type PartyState } from "./party";
import { releaseEndedCeremonies } from "./spend-ledger";

/** Party indices of a signer's 2-of-3 key. */
export const PARTY = { agent: 0, server: 1, user: 2 } as const;

export const CEREMONY_TTL_MS = { dkg: 30 * 60_000, sign: 10 * 60_000 } as const;
const MAX_CAS_ATTEMPTS = 8;
const MAX_MESSAGES_PER_SUBMISSION = 16;

export type CeremonyView = {
  id: string;
  kind: CeremonyKind;
  status: string;
  phase: string;
  messages: { seq: string; message: Message }[];
  result: unknown;
  blame: unknown;
};

const stateContext = (id: string) => `ceremony-state:${id}`;

function sealState(id: string, s: PartyState): Prisma.InputJsonValue {
  return sealSecret(new TextEncoder().encode(JSON.stringify(s)), stateContext(id)) as unknown as Prisma.InputJsonValue;
}

function openState(id: string, blob: unknown): PartyState {
  return JSON.parse(new TextDecoder().decode(openSecret(blob as SealedBlob, stateContext(id)))) as PartyState;
}

export async function createCeremony(
  db: DbOrTx,
  input: { id: string; organizationId: string; signerId: string; kind: CeremonyKind; parties: number[]; context: Record<string, unknown>; state: PartyState; outgoing: Message[] },
) {
  const c = await db.ceremony.create({
    data: {
      id: input.id,
      organizationId: input.organizationId,
      signerId: input.signerId,
      kind: input.kind,
      phase: input.state.phase,
      serverParty: PARTY.server,
      parties: input.parties,
      serverState: sealState(input.id, input.state),
      context: input.context as Prisma.InputJsonValue,
      expiresAt: new Date(Date.now() + CEREMONY_TTL_MS[input.kind]),
    },
  });
  await storeMessages(db, c.id, input.outgoing);
  return c;
}

/**
 * A signing ceremony whose server party has not started yet: created together with the guardrail
 * decision (status open, state added by `startCeremonyParty` right after), or parked until an
 * approver decides (status pending_approval, nothing computed by the server yet).
 */
export async function createCeremonyShell(
  db: DbOrTx,
  input: { id: string; organizationId: string; signerId: string; kind: CeremonyKind; parties: number[]; context: Record<string, unknown>; status: "open" | "pending_approval"; ttlMs?: number },
) {
  return db.ceremony.create({
    data: {
      id: input.id,
      organizationId: input.organizationId,
      signerId: input.signerId,
      kind: input.kind,
      status: input.status,
      phase: input.status === "pending_approval" ? "pending_approval" : "starting",
      serverParty: PARTY.server,
      parties: input.parties,
      context: input.context as Prisma.InputJsonValue,
      expiresAt: new Date(Date.now() + (input.ttlMs ?? CEREMONY_TTL_MS[input.kind])),
    },
  });
}

/**
 * Stores the server party's first state and messages on a ceremony shell and opens it with a fresh
 * TTL. Compare-and-swap on (status, no state yet): returns false when the ceremony moved on.
 */
export async function startCeremonyParty(db: DbOrTx, input: { id: string; from: "open" | "pending_approval"; state: PartyState; outgoing: Message[]; kind: CeremonyKind }): Promise<boolean> {
  const won = await db.ceremony.updateMany({
    where: { id: input.id, status: input.from, serverState: { equals: Prisma.DbNull } },
    data: { status: "open", phase: input.state.phase, serverState: sealState(input.id, input.state), expiresAt: new Date(Date.now() + CEREMONY_TTL_MS[input.kind]), version: { increment: 1 } },
  });
  if (won.count !== 1) return false;
  await storeMessages(db, input.id, input.outgoing);
  return true;
}

async function storeMessages(db: DbOrTx, ceremonyId: string, messages: Message[]) {
  if (!messages.length) return;
  await db.ceremonyMessage.createMany({
    data: messages.map((m) => ({ ceremonyId, phase: m.protocol, fromParty: m.from, toParty: m.to === "all" ? null : m.to, body: m as unknown as Prisma.InputJsonValue })),
  });
}

export async function messagesFor(db: DbOrTx, ceremonyId: string, party: number, after: bigint) {
  const rows = await db.ceremonyMessage.findMany({
    where: { ceremonyId, seq: { gt: after }, OR: [{ toParty: party }, { toParty: null, fromParty: { not: party } }] },
    orderBy: { seq: "asc" },
  });
  return rows.map((r) => ({ seq: r.seq.toString(), message: r.body as unknown as Message }));
}

function view(c: { id: string; kind: CeremonyKind; status: string; phase: string; result: unknown; blame: unknown }, messages: CeremonyView["messages"]): CeremonyView {
  return { id: c.id, kind: c.kind, status: c.status, phase: c.phase, messages, result: c.result ?? null, blame: c.blame ?? null };
}

/** Marks ceremonies past their TTL as expired and wipes their secret state. */
export async function expireCeremonies(db: DbOrTx, now = new Date()) {
  const r = await db.ceremony.updateMany({
    where: { status: { in: ["open", "pending_approval"] }, expiresAt: { lte: now } },
    data: { status: "expired", serverState: undefined },
  });
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "status" IN ('expired', 'aborted', 'rejected', 'completed') AND "server_state" IS NOT NULL`;
  // Guardrails: an ended ceremony gives its spend reservation back.
  await releaseEndedCeremonies(db);
  return r.count;
}

export async function loadCeremony(db: DbOrTx, id: string, organizationId: string) {
  const c = await db.ceremony.findFirst({ where: { id, organizationId } });
  if (!c) throw new NotFoundError("Ceremony not found");
  return c;
}

export type SubmitInput = {
  ceremonyId: string;
  organizationId: string;
  party: number;
  seq: number;
  messages: Message[];
  after: bigint;
  profile: SecurityProfile;
};

export type Outcome = { kind: "keyShare" | "signature"; value: unknown } | null;

/**
 * Applies one submission. `onOutcome` runs inside the committing transaction when the server's
 * party finishes (store the key share; record the signature), so the outcome and the state change
 * commit together.
 */
export async function submit(db: Db, input: SubmitInput, onOutcome: (tx: DbOrTx, outcome: NonNullable<Outcome>, ceremony: { id: string; signerId: string }) => Promise<unknown>): Promise<CeremonyView> {
  if (input.messages.length > MAX_MESSAGES_PER_SUBMISSION) throw new BadRequestError(`At most ${MAX_MESSAGES_PER_SUBMISSION} messages per submission`);
  // An empty submission is a poll: it changes nothing, so it is neither recorded nor replayed.
  if (input.messages.length === 0) return poll(db, input);
  const requestHash = createHash("sha256").update(JSON.stringify({ seq: input.seq, messages: input.messages })).digest("hex");

  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const c = await loadCeremony(db, input.ceremonyId, input.organizationId);
    if (!c.parties.includes(input.party) || input.party === c.serverParty) throw new ForbiddenError(`Party ${input.party} is not a client party of this ceremony`);

    const previous = await db.ceremonySubmission.findUnique({ where: { ceremonyId_party_seq: { ceremonyId: c.id, party: input.party, seq: input.seq } } });
    if (previous) {
      if (previous.requestHash === requestHash) return previous.response as unknown as CeremonyView;
      await abortCeremony(db, c.id, c.version, { party: input.party, protocol: c.phase as Message["protocol"], round: 0, check: "conflicting_retry", reason: `submission ${input.seq} was sent again with a different body` });
      throw new ConflictError("A different submission was already accepted under this sequence number; the ceremony is aborted");
    }
    if (c.status === "expired" || (c.status === "open" && c.expiresAt <= new Date())) {
      await expireCeremonies(db);
      throw new GoneError("This ceremony has expired; start a new one");
    }
    if (c.status !== "open") throw new ConflictError(`This ceremony is ${c.status}`);

    for (const m of input.messages) {
      if (m.from !== input.party) throw new BadRequestError(`Message from party ${m.from} submitted by party ${input.party}`, [{ field: "body.messages", message: "from must be the submitting party" }]);
      if (m.to !== "all" && m.to !== c.serverParty) {
        throw new BadRequestError("Point-to-point messages between client parties are never relayed through the server", [{ field: "body.messages", message: `to must be "all" or ${c.serverParty}` }]);
      }
    }
    const forServer = input.messages.filter((m) => m.to === "all" || m.to === c.serverParty);

    let result: PartyResult | null = null;
    if (forServer.length && c.serverState) {
      result = advanceParty(openState(c.id, c.serverState), forServer, input.profile);
    }

    try {
      return await db.$transaction(async (tx) => {
        const data: Prisma.CeremonyUpdateManyMutationInput = { version: { increment: 1 } };
        if (result?.kind === "continue") {
          data.serverState = sealState(c.id, result.state);
          data.phase = result.state.phase;
        } else if (result?.kind === "abort") {
          data.status = "aborted";
          data.blame = result.blame as unknown as Prisma.InputJsonValue;
          data.completedAt = new Date();
        } else if (result) {
          data.status = "completed";
          data.completedAt = new Date();
        }
        const won = await tx.ceremony.updateMany({ where: { id: c.id, version: c.version, status: "open" }, data });
        if (won.count !== 1) throw new LostRace();
        await storeMessages(tx, c.id, input.messages);
        if (result) await storeMessages(tx, c.id, result.outgoing);
        let resultValue: unknown = null;
        if (result?.kind === "keyShare" || result?.kind === "signature") {
          resultValue = await onOutcome(tx, { kind: result.kind, value: result.kind === "keyShare" ? result.share : result.signature }, { id: c.id, signerId: c.signerId });
          await tx.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL, "result" = ${JSON.stringify(resultValue)}::jsonb WHERE "id" = ${c.id}::uuid`;
        }
        if (result?.kind === "abort") {
          await tx.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ${c.id}::uuid`;
          await releaseEndedCeremonies(tx, [c.id]);
        }
        const fresh = await tx.ceremony.findUniqueOrThrow({ where: { id: c.id } });
        const response = view(fresh, await messagesFor(tx, c.id, input.party, input.after));
        await tx.ceremonySubmission.create({ data: { ceremonyId: c.id, party: input.party, seq: input.seq, requestHash, response: response as unknown as Prisma.InputJsonValue } });
        return response;
      });
    } catch (err) {
      if (err instanceof LostRace) continue;
      throw err;
    }
  }
  throw new ConflictError("The ceremony is busy; retry");
}

class LostRace extends Error {}

async function abortCeremony(db: DbOrTx, id: string, version: number, blame: ProtocolBlame) {
  await db.ceremony.updateMany({ where: { id, version, status: "open" }, data: { status: "aborted", blame: blame as unknown as Prisma.InputJsonValue, version: { increment: 1 }, completedAt: new Date() } });
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ${id}::uuid`;
  await releaseEndedCeremonies(db, [id]);
}

export async function poll(db: DbOrTx, input: { ceremonyId: string; organizationId: string; party: number; after: bigint }): Promise<CeremonyView> {
  const c = await loadCeremony(db, input.ceremonyId, input.organizationId);
  if (!c.parties.includes(input.party) || input.party === c.serverParty) throw new ForbiddenError(`Party ${input.party} is not a client party of this ceremony`);
  const status = c.status === "open" && c.expiresAt <= new Date() ? "expired" : c.status;
  return view({ ...c, status }, await messagesFor(db, c.id, input.party, input.after));
}
