/**
 * Ceremonies: MPC protocol runs in which the server is one party, persisted so that any instance
 * can continue any run. Each client submission is applied with compare-and-swap on the ceremony's
 * version: the heavy cryptography runs outside the transaction, and a submission that lost a race
 * is recomputed from the fresh state. Retrying a submission with the same body returns the stored
 * answer; a different body under the same sequence number aborts the ceremony (blame on the caller).
 */
import { createHmac } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import type { CeremonyKind } from "@/lib/generated/prisma/enums";
import type { Db, DbOrTx } from "@/lib/db/client";
import { deriveKey, openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { BadRequestError, ConflictError, ForbiddenError, GoneError, NotFoundError } from "@/lib/http/errors";
import { recordCeremonyEnded } from "@/lib/ops/metrics";
import { withSpan } from "@/lib/ops/tracing";
import type { Message, ProtocolBlame, SecurityProfile } from "@/lib/mpc";
import { advanceParty, advancePartyParallel, partyNonceDemand, type PartyResult, type PartyState } from "./party";
import { serverRepetitionPool } from "./repetition-threads";
import { withClaimedNonces } from "./nonce-pool";
import { serverIdentity } from "./server-identity";
import { verifyEvidence, type AuthenticatedBlame } from "./message-auth";
import { identitiesOf, isAuthenticated } from "./identities";
import { releaseEndedCeremonies } from "./spend-ledger";

/** Party indices of a signer's 2-of-3 key. */
export const PARTY = { agent: 0, server: 1, user: 2 } as const;

export const CEREMONY_TTL_MS = { dkg: 30 * 60_000, sign: 10 * 60_000 } as const;
/**
 * How long an ended ceremony keeps its point-to-point messages and submissions (sealed): a client
 * may still fetch the server's final-round messages, or retry its last submission, after the
 * server's party finished. Then lib/signing/ceremony-sweep.ts deletes them.
 */
export const ENDED_CEREMONY_GRACE_MS = 5 * 60_000;
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

/**
 * Associated data of a sealed point-to-point message: a body cannot be moved to another ceremony,
 * sender, receiver, protocol or round.
 */
const messageContext = (ceremonyId: string, m: { from: number; to: number; protocol: string; round: number }) => `ceremony-message:${ceremonyId}:${m.from}:${m.to}:${m.protocol}:${m.round}`;
const submissionContext = (ceremonyId: string, party: number, seq: number) => `ceremony-submission:${ceremonyId}:${party}:${seq}`;
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Stores the messages to relay. Broadcasts stay plaintext (public protocol data every party sees);
 * point-to-point bodies (Feldman shares σ among them) are sealed under the master key. Messages
 * addressed to the server's own party are not stored at all: the server consumes them in the same
 * request (they live on only inside its sealed state) and nobody else may read them.
 */
async function storeMessages(db: DbOrTx, ceremonyId: string, messages: Message[]) {
  const relayed = messages.filter((m) => m.to !== PARTY.server);
  if (!relayed.length) return;
  await db.ceremonyMessage.createMany({
    data: relayed.map((m) => ({
      ceremonyId,
      phase: m.protocol,
      round: m.round,
      fromParty: m.from,
      toParty: m.to === "all" ? null : m.to,
      body: (m.to === "all" ? m : sealSecret(utf8(JSON.stringify(m)), messageContext(ceremonyId, { from: m.from, to: m.to, protocol: m.protocol, round: m.round }))) as unknown as Prisma.InputJsonValue,
    })),
  });
}

export async function messagesFor(db: DbOrTx, ceremonyId: string, party: number, after: bigint) {
  const rows = await db.ceremonyMessage.findMany({
    where: { ceremonyId, seq: { gt: after }, OR: [{ toParty: party }, { toParty: null, fromParty: { not: party } }] },
    orderBy: { seq: "asc" },
  });
  return rows.map((r) => {
    if (r.toParty === null) return { seq: r.seq.toString(), message: r.body as unknown as Message };
    const where = { from: r.fromParty, to: r.toParty, protocol: r.phase, round: r.round };
    const m = JSON.parse(new TextDecoder().decode(openSecret(r.body as unknown as SealedBlob, messageContext(ceremonyId, where)))) as Message;
    if (m.from !== where.from || m.to !== where.to || m.protocol !== where.protocol || m.round !== where.round) throw new Error(`ceremony message ${r.seq} does not match its row`);
    return { seq: r.seq.toString(), message: m };
  });
}

/**
 * Keyed digest of a submission, for idempotent replay: HMAC-SHA256 under a subkey of the master key,
 * so the stored digest cannot be used to confirm a guess of a secret it covers (e.g. a σ the agent
 * knows), and binds the ceremony, party and sequence number.
 */
async function submissionMac(input: { ceremonyId: string; party: number; seq: number; messages: Message[] }): Promise<string> {
  const key = await deriveKey("ceremony-submission-mac");
  try {
    return createHmac("sha256", key).update(JSON.stringify({ ceremonyId: input.ceremonyId, party: input.party, seq: input.seq, messages: input.messages })).digest("hex");
  } finally {
    key.fill(0);
  }
}

function sealResponse(ceremonyId: string, party: number, seq: number, response: CeremonyView): Prisma.InputJsonValue {
  return sealSecret(utf8(JSON.stringify(response)), submissionContext(ceremonyId, party, seq)) as unknown as Prisma.InputJsonValue;
}

function openResponse(ceremonyId: string, party: number, seq: number, blob: unknown): CeremonyView {
  return JSON.parse(new TextDecoder().decode(openSecret(blob as SealedBlob, submissionContext(ceremonyId, party, seq)))) as CeremonyView;
}

/**
 * Deletes what an ended ceremony no longer needs at once: its sealed server state and its
 * key-generation point-to-point messages (the Feldman shares). When the server's aux finishes, every
 * other party has sent its aux messages, which it produces only after its own keygen finished, i.e.
 * after it fetched the keygen messages addressed to it; an aborted or expired ceremony has no use
 * for them. Aux and signing messages stay for ENDED_CEREMONY_GRACE_MS (the sweep deletes them).
 */
export async function wipeEndedCeremonies(db: DbOrTx, ceremonyIds: readonly string[]): Promise<void> {
  if (!ceremonyIds.length) return;
  const ids = [...ceremonyIds];
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ANY(${ids}::uuid[]) AND "status" IN ('completed', 'aborted', 'expired', 'rejected') AND "server_state" IS NOT NULL`;
  await db.$executeRaw`DELETE FROM "ceremony_messages" m USING "ceremonies" c
    WHERE m."ceremony_id" = c."id" AND c."id" = ANY(${ids}::uuid[]) AND c."status" IN ('completed', 'aborted', 'expired', 'rejected')
      AND m."phase" = 'keygen' AND m."to_party" IS NOT NULL`;
}

function view(c: { id: string; kind: CeremonyKind; status: string; phase: string; result: unknown; blame: unknown }, messages: CeremonyView["messages"]): CeremonyView {
  return { id: c.id, kind: c.kind, status: c.status, phase: c.phase, messages, result: c.result ?? null, blame: c.blame ?? null };
}

/**
 * Marks ceremonies past their TTL as expired — compare-and-set on the status, so of two instances
 * running this at once each ceremony is claimed by exactly one — wipes their secret state and
 * key-generation messages, and releases their spend reservations. Returns the ids it expired.
 */
export async function expireCeremonies(db: DbOrTx, now = new Date(), opts: { releaseAll?: boolean } = {}): Promise<string[]> {
  const claimed = await db.$queryRaw<{ id: string; kind: CeremonyKind }[]>`UPDATE "ceremonies"
    SET "status" = 'expired', "server_state" = NULL, "completed_at" = ${now}::timestamptz, "updated_at" = ${now}::timestamptz, "version" = "version" + 1
    WHERE "status" IN ('open', 'pending_approval') AND "expires_at" <= ${now}::timestamptz
    RETURNING "id", "kind"`;
  const ids = claimed.map((r) => r.id);
  for (const kind of ["sign", "dkg"] as const) recordCeremonyEnded(kind, "expired", claimed.filter((r) => r.kind === kind).length);
  await wipeEndedCeremonies(db, ids);
  // Guardrails: an ended ceremony gives its spend reservation back (these, and unless the caller
  // releases its own set — the sweep does — any other ended one).
  await releaseEndedCeremonies(db, opts.releaseAll === false ? ids : undefined);
  return ids;
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
  /**
   * Point-to-point messages between client parties are refused unless this rule is given; it throws
   * to refuse one (remote key generation relays 0↔2 only as end-to-end envelopes, lib/signing/agent-join.ts).
   */
  clientP2p?: (m: Message) => void;
};

export type Outcome = { kind: "keyShare" | "signature"; value: unknown } | null;

type OnOutcome = (tx: DbOrTx, outcome: NonNullable<Outcome>, ceremony: { id: string; signerId: string; context: unknown }) => Promise<unknown>;

/**
 * Applies one submission. `onOutcome` runs inside the committing transaction when the server's
 * party finishes (store the key share; record the signature), so the outcome and the state change
 * commit together. Traced as one span per round.
 */
export function submit(db: Db, input: SubmitInput, onOutcome: OnOutcome): Promise<CeremonyView> {
  const attributes = { "countersign.ceremony_id": input.ceremonyId, "countersign.party": input.party, "countersign.seq": input.seq, "countersign.messages": input.messages.length };
  return withSpan("ceremony.round", attributes, () => submitRound(db, input, onOutcome));
}

async function submitRound(db: Db, input: SubmitInput, onOutcome: OnOutcome): Promise<CeremonyView> {
  if (input.messages.length > MAX_MESSAGES_PER_SUBMISSION) throw new BadRequestError(`At most ${MAX_MESSAGES_PER_SUBMISSION} messages per submission`);
  // An empty submission is a poll: it changes nothing, so it is neither recorded nor replayed.
  if (input.messages.length === 0) return poll(db, input);
  const requestHash = await submissionMac({ ceremonyId: input.ceremonyId, party: input.party, seq: input.seq, messages: input.messages });

  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const c = await loadCeremony(db, input.ceremonyId, input.organizationId);
    if (!c.parties.includes(input.party) || input.party === c.serverParty) throw new ForbiddenError(`Party ${input.party} is not a client party of this ceremony`);

    const previous = await db.ceremonySubmission.findUnique({ where: { ceremonyId_party_seq: { ceremonyId: c.id, party: input.party, seq: input.seq } } });
    if (previous) {
      if (previous.requestHash === requestHash) return openResponse(c.id, input.party, input.seq, previous.response);
      if (await abortCeremony(db, c.id, c.version, { party: input.party, protocol: c.phase as Message["protocol"], round: 0, check: "conflicting_retry", reason: `submission ${input.seq} was sent again with a different body` })) {
        recordCeremonyEnded(c.kind, "aborted");
      }
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
        if (!input.clientP2p || !c.parties.includes(m.to)) {
          throw new BadRequestError("Point-to-point messages between client parties are never relayed through the server", [{ field: "body.messages", message: `to must be "all" or ${c.serverParty}` }]);
        }
        input.clientP2p(m);
      }
    }
    const forServer = input.messages.filter((m) => m.to === "all" || m.to === c.serverParty);

    let result: PartyResult | null = null;
    if (forServer.length && c.serverState) {
      // Authenticated blame: the parties' identity keys live in the context (a remote agent's arrives
      // when it joins), the server signs with its long-term key.
      const identities = identitiesOf(c.context);
      const state = openState(c.id, c.serverState);
      const identity = isAuthenticated(identities) ? await serverIdentity() : undefined;
      const withIdentities = identity ? { ...state, identities } : state;
      if (state.phase === "sign") {
        // Signing's round 2 takes precomputed Paillier nonces from the signer's pool (nonce-pool.ts);
        // claimed before the step, each used at most once even if this attempt loses the race below.
        result = await withClaimedNonces(db, c.signerId, partyNonceDemand(state), (nonces) => advanceParty(withIdentities, forServer, input.profile, identity, nonces));
      } else {
        // Key generation: the aux repetitions run on the repetition threads, so this thread keeps
        // answering (the other parties' polls for this round's last message) while they compute.
        result = await advancePartyParallel(withIdentities, forServer, serverRepetitionPool().run, input.profile, identity, undefined, { roundByRound: true });
      }
    }

    let response: CeremonyView;
    try {
      response = await db.$transaction(async (tx) => {
        await moveVersion(tx, c, result);
        await storeMessages(tx, c.id, input.messages);
        if (result) await storeServerResult(tx, c, result, onOutcome);
        const fresh = await tx.ceremony.findUniqueOrThrow({ where: { id: c.id } });
        const response = view(fresh, await messagesFor(tx, c.id, input.party, input.after));
        await tx.ceremonySubmission.create({ data: { ceremonyId: c.id, party: input.party, seq: input.seq, requestHash, response: sealResponse(c.id, input.party, input.seq, response) } });
        return response;
      });
    } catch (err) {
      if (err instanceof LostRace) continue;
      throw err;
    }
    if (result && result.kind !== "continue") recordCeremonyEnded(c.kind, result.kind === "abort" ? "aborted" : "completed");
    if (result?.kind === "continue" && result.more) {
      // The submission completed two rounds at once: the first round's messages are stored (the
      // other parties can take them now); the next round is computed and committed on its own.
      await continueServerParty(db, c.id, input.profile, onOutcome);
      return poll(db, input);
    }
    return response;
  }
  throw new ConflictError("The ceremony is busy; retry");
}

class LostRace extends Error {}

/**
 * Compare-and-swap on the ceremony's version (LostRace if another request moved it first), with the
 * server's new state or its end; `result` null: a submission that did not reach the server's party.
 */
async function moveVersion(tx: DbOrTx, c: { id: string; version: number }, result: PartyResult | null): Promise<void> {
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
}

/** Stores what the server's step produced, in the transaction that moved the ceremony's version. */
async function storeServerResult(tx: DbOrTx, c: { id: string; signerId: string; context: unknown }, result: PartyResult, onOutcome: OnOutcome): Promise<void> {
  await storeMessages(tx, c.id, result.outgoing);
  if (result.kind === "keyShare" || result.kind === "signature") {
    const resultValue = await onOutcome(tx, { kind: result.kind, value: result.kind === "keyShare" ? result.share : result.signature }, { id: c.id, signerId: c.signerId, context: c.context });
    await tx.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL, "result" = ${JSON.stringify(resultValue)}::jsonb WHERE "id" = ${c.id}::uuid`;
  }
  if (result.kind === "abort") {
    await tx.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ${c.id}::uuid`;
    await releaseEndedCeremonies(tx, [c.id]);
  }
  if (result.kind !== "continue") await wipeEndedCeremonies(tx, [c.id]);
}

/**
 * Advances the server's key-generation party through the rounds its stored messages already allow,
 * one round per commit (compare-and-swap as in submitRound). Stops when nothing is ready, or when
 * another request moved the ceremony on first (it then does the work).
 */
async function continueServerParty(db: Db, ceremonyId: string, profile: SecurityProfile, onOutcome: OnOutcome): Promise<void> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; ) {
    const c = await db.ceremony.findUnique({ where: { id: ceremonyId } });
    if (!c || c.status !== "open" || !c.serverState) return;
    const state = openState(c.id, c.serverState);
    if (state.phase === "sign") return;
    const identities = identitiesOf(c.context);
    const identity = isAuthenticated(identities) ? await serverIdentity() : undefined;
    const result = await advancePartyParallel(identity ? { ...state, identities } : state, [], serverRepetitionPool().run, profile, identity, undefined, { roundByRound: true });
    if (result.kind === "continue" && result.outgoing.length === 0) return; // nothing was ready
    try {
      await db.$transaction(async (tx) => {
        await moveVersion(tx, c, result);
        await storeServerResult(tx, c, result, onOutcome);
      });
    } catch (err) {
      if (err instanceof LostRace) {
        attempt++;
        continue;
      }
      throw err;
    }
    if (result.kind !== "continue") {
      recordCeremonyEnded(c.kind, result.kind === "abort" ? "aborted" : "completed");
      return;
    }
    if (!result.more) return;
  }
}

/** Returns whether this call ended the ceremony (it was still open at `version`). */
async function abortCeremony(db: DbOrTx, id: string, version: number, blame: ProtocolBlame): Promise<boolean> {
  const won = await db.ceremony.updateMany({ where: { id, version, status: "open" }, data: { status: "aborted", blame: blame as unknown as Prisma.InputJsonValue, version: { increment: 1 }, completedAt: new Date() } });
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ${id}::uuid`;
  await wipeEndedCeremonies(db, [id]);
  await releaseEndedCeremonies(db, [id]);
  return won.count === 1;
}

/**
 * A client party's own state machine aborted (blaming the server or the other client): it reports
 * the blame, with the blamed party's signed messages as evidence, and the ceremony ends with that
 * blame on record. The evidence is checked here against the ceremony's identity keys and the verdict
 * stored beside it (`evidenceVerified`, else `evidenceProblem`), so a reader need not take the
 * reporter's word — and can re-check it with `verifyEvidence` and the same keys.
 */
export async function reportAbort(db: Db, input: { ceremonyId: string; organizationId: string; party: number; blame: AuthenticatedBlame }): Promise<CeremonyView> {
  const c = await loadCeremony(db, input.ceremonyId, input.organizationId);
  if (!c.parties.includes(input.party) || input.party === c.serverParty) throw new ForbiddenError(`Party ${input.party} is not a client party of this ceremony`);
  if (input.blame.party === input.party) throw new BadRequestError("A party cannot blame itself", [{ field: "body.abort.party", message: "Must be another party" }]);
  if (c.status === "open") {
    const identities = identitiesOf(c.context);
    const problem = isAuthenticated(identities) ? verifyEvidence(input.blame, identities) : "this ceremony does not authenticate its messages";
    const blame = { ...input.blame, reportedBy: input.party, evidenceVerified: problem === null, ...(problem ? { evidenceProblem: problem } : {}) };
    if (await db.$transaction((tx) => abortCeremony(tx, c.id, c.version, blame))) recordCeremonyEnded(c.kind, "aborted");
  }
  return poll(db, { ...input, after: 0n });
}

export async function poll(db: DbOrTx, input: { ceremonyId: string; organizationId: string; party: number; after: bigint }): Promise<CeremonyView> {
  const c = await loadCeremony(db, input.ceremonyId, input.organizationId);
  if (!c.parties.includes(input.party) || input.party === c.serverParty) throw new ForbiddenError(`Party ${input.party} is not a client party of this ceremony`);
  const status = c.status === "open" && c.expiresAt <= new Date() ? "expired" : c.status;
  return view({ ...c, status }, await messagesFor(db, c.id, input.party, input.after));
}
