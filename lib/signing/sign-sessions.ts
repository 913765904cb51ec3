/**
 * Signing sessions: Signer+Server (the agent's party 0 with its API key) and User+Server (the
 * human's party 2 from the dashboard). The server recomputes the digest it co-signs from the
 * request itself — never from a hash the client supplies — checks the signer and the guardrails,
 * then runs its party. Completing a transaction session attaches the signature, checks it recovers
 * to the signer's address and broadcasts it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { getAddress, hashMessage, hashTypedData, isAddress, type Hex, type TypedDataDefinition } from "viem";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import { publicClientFor } from "@/lib/chain/networks";
import { requireNetwork } from "@/lib/chain/network-registry";
import { attachSignature, recoverSender, signingHash, type UnsignedEip1559Tx } from "@/lib/chain/tx-codec";
import { broadcastRawTransaction, buildEip1559Tx } from "@/lib/chain/tx-rpc";
import { openSecret, type SealedBlob } from "@/lib/keystore";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PolicyViolationError } from "@/lib/http/errors";
import { decodeKeyShare, signStartNonceDemand, type EcdsaSignature, type SecurityProfile } from "@/lib/mpc";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { recordCeremonyEnded, recordSigningSessionStarted } from "@/lib/ops/metrics";
import { withSpan } from "@/lib/ops/tracing";
import type { PolicyRequest } from "@/lib/policy";
import { createCeremonyShell, loadCeremony, messagesFor, PARTY, startCeremonyParty } from "./ceremonies";
import { decideSigning } from "./guardrails";
import { assertSignerAgentActive } from "@/lib/agents/kill-switch";
import { AgentInactiveError } from "@/lib/agents/model";
import { commitSpend, releaseEndedCeremonies } from "./spend-ledger";
import { identitiesOf, isAuthenticated } from "./identities";
import { startSignParty } from "./party";
import { withClaimedNonces } from "./nonce-pool";
import { serverIdentity } from "./server-identity";
import { sessionKeyStanding } from "./long-term-identity";
import { signSid } from "./participants";
import { txFromJson, txToJson, type TxJson } from "./transaction-json";

export { txFromJson, txToJson, type TxJson };

export type SignMode = "signer_server" | "user_server";

export type TransactionInput = { to: string | null; value?: string; data?: string; nonce?: number; gas?: string; maxFeePerGas?: string; maxPriorityFeePerGas?: string };
export type SignInput =
  | { kind: "transaction"; transaction: TransactionInput }
  | { kind: "message"; message: string | { raw: string } }
  | { kind: "typed_data"; typedData: TypedDataDefinition };

/** What the server is about to sign, as recomputed from the request itself. */
type SigningRequest =
  | { kind: "transaction"; chainId: number; to: string | null; value: bigint; data: string }
  | { kind: "message"; message: string | { raw: string } }
  | { kind: "typed_data"; typedData: unknown };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function digestOf(db: DbOrTx, signer: { address: string; chainId: number }, input: SignInput): Promise<{ hash: Hex; request: SigningRequest; tx?: UnsignedEip1559Tx }> {
  if (input.kind === "message") {
    const message = typeof input.message === "string" ? input.message : { raw: input.message.raw as Hex };
    return { hash: hashMessage(message), request: { kind: "message", message: typeof input.message === "string" ? input.message : { raw: input.message.raw } } };
  }
  if (input.kind === "typed_data") {
    let hash: Hex;
    try {
      hash = hashTypedData(input.typedData);
    } catch (err) {
      throw new BadRequestError(`Invalid typed data: ${(err as Error).message.split("\n")[0]}`, [{ field: "body.typedData", message: "Invalid EIP-712 typed data" }]);
    }
    return { hash, request: { kind: "typed_data", typedData: input.typedData } };
  }
  const t = input.transaction;
  if (t.to !== null && !isAddress(t.to, { strict: false })) throw new BadRequestError("Invalid recipient", [{ field: "body.transaction.to", message: "Must be an address or null" }]);
  const network = await requireNetwork(db, signer.chainId, "signer.chainId");
  const big = (v: string | undefined, field: string) => {
    if (v === undefined) return undefined;
    if (!/^\d{1,78}$/.test(v)) throw new BadRequestError(`Invalid ${field}`, [{ field: `body.transaction.${field}`, message: "Must be a decimal integer string" }]);
    return BigInt(v);
  };
  const tx = await buildEip1559Tx(
    publicClientFor(network),
    { from: getAddress(signer.address), to: t.to === null ? null : getAddress(t.to), value: big(t.value, "value") ?? 0n, data: (t.data ?? "0x") as Hex },
    { nonce: t.nonce, gas: big(t.gas, "gas"), maxFeePerGas: big(t.maxFeePerGas, "maxFeePerGas"), maxPriorityFeePerGas: big(t.maxPriorityFeePerGas, "maxPriorityFeePerGas") },
  ).catch((err: Error) => {
    throw new BadRequestError(`The network refused to prepare this transaction: ${err.message.split("\n")[0]}`);
  });
  return { hash: signingHash(tx), tx, request: { kind: "transaction", chainId: tx.chainId, to: tx.to, value: tx.value, data: tx.data } };
}

/** How long a session parked for approval waits for an approver before it expires (and its spend is released). */
export const APPROVAL_TTL_MS = 60 * 60_000;

type SessionContext = { mode: SignMode; kind: SignInput["kind"]; clientParty: number; signers: number[]; sid: string; messageHash: string; serverNonce: string; clientNonce: string; transaction: TxJson | null; request: unknown; identities?: Record<string, string>; identityCertified?: boolean; identityCertificate?: string };

function policyRequestOf(request: SigningRequest, chainId: number): PolicyRequest {
  if (request.kind === "transaction") return { kind: "transaction", chainId: request.chainId, to: request.to as Hex | null, value: request.value, data: request.data as Hex };
  if (request.kind === "message") return { kind: "message", chainId, message: typeof request.message === "string" ? request.message : { raw: request.message.raw as Hex } };
  return { kind: "typed_data", chainId, typedData: request.typedData as never };
}


/** The stored session disagrees with itself: the server refuses to co-sign it. */
export class TamperedCeremonyError extends ConflictError {
  constructor(detail: string) {
    super(`The stored signing session is inconsistent (${detail}); the server refuses to co-sign it`);
  }
}

/**
 * What the server's party signs, recomputed from what the session stores — the filled transaction
 * (or the message / typed data request) — never read back from the stored digest, whose sid is
 * re-derived too. A row whose digest, sid or signer set differ from that is refused.
 */
function recomputeSession(ctx: SessionContext, signer: { id: string; chainId: number }): { messageHash: string; sid: string } {
  let hash: Hex;
  try {
    if (ctx.kind === "transaction") {
      if (!ctx.transaction) throw new TamperedCeremonyError("no transaction");
      const tx = txFromJson(ctx.transaction);
      if (tx.chainId !== signer.chainId) throw new TamperedCeremonyError("chain id");
      hash = signingHash(tx);
    } else {
      const request = ctx.request as SignInput | null;
      if (request?.kind !== ctx.kind) throw new TamperedCeremonyError("no request");
      hash = request.kind === "message" ? hashMessage(typeof request.message === "string" ? request.message : { raw: request.message.raw as Hex }) : hashTypedData((request as { typedData: TypedDataDefinition }).typedData);
    }
  } catch (err) {
    if (err instanceof TamperedCeremonyError) throw err;
    throw new TamperedCeremonyError(`its request cannot be hashed: ${(err as Error).message.split("\n")[0]}`);
  }
  const messageHash = hash.slice(2);
  if (ctx.messageHash !== messageHash) throw new TamperedCeremonyError("digest");
  const signers = [ctx.clientParty, PARTY.server].sort((a, b) => a - b);
  if (ctx.clientParty === PARTY.server || ctx.signers.join() !== signers.join()) throw new TamperedCeremonyError("signers");
  const sid = signSid({ keyId: signer.id, serverNonce: ctx.serverNonce, clientNonce: ctx.clientNonce, messageHash, signers });
  if (ctx.sid !== sid) throw new TamperedCeremonyError("session id");
  return { messageHash, sid };
}

/**
 * Runs the server's party for a ceremony that has none yet (just allowed, or just approved) and
 * opens it. Returns false when the ceremony is no longer in `from` (expired, rejected, raced).
 * The digest and sid are recomputed from the stored request (recomputeSession); on a mismatch the
 * session is aborted and TamperedCeremonyError (409) thrown.
 */
export async function startServerParty(db: Db, input: { ceremonyId: string; signerId: string; from: "open" | "pending_approval"; profile: SecurityProfile; onStarted?: (tx: Tx) => Promise<void> }): Promise<boolean> {
  const signer = await db.signer.findUnique({ where: { id: input.signerId }, include: { serverShare: true } });
  if (!signer?.serverShare || signer.deletedAt) throw new NotFoundError("Signer not found");
  const c = await db.ceremony.findUniqueOrThrow({ where: { id: input.ceremonyId } });
  const ctx = c.context as SessionContext;
  let bound: { messageHash: string; sid: string };
  try {
    if (c.kind !== "sign" || c.signerId !== signer.id) throw new TamperedCeremonyError("not this signer's signing session");
    bound = recomputeSession(ctx, signer);
    // The guardrail decision (and an approver's passkey) was bound to this digest too.
    const decided = await db.signingRequest.findUnique({ where: { ceremonyId: c.id }, select: { messageHash: true } });
    if (decided?.messageHash && decided.messageHash.replace(/^0x/, "").toLowerCase() !== bound.messageHash) throw new TamperedCeremonyError("digest differs from the signing request's");
  } catch (err) {
    await abandonSession(db, c.id);
    throw err;
  }
  const share = decodeKeyShare(new TextDecoder().decode(openSecret(signer.serverShare.sealed as unknown as SealedBlob, `signer-share:${signer.id}`)), input.profile);
  const identities = identitiesOf(ctx);
  const auth = isAuthenticated(identities) ? { identities, identity: await serverIdentity() } : {};
  // Round 1's own-key nonces come from the pool when it has them (spec §6.4).
  const server = await withClaimedNonces(db, signer.id, signStartNonceDemand(share, ctx.signers, input.profile), (nonces) =>
    startSignParty({ share, signers: ctx.signers, messageHash: bound.messageHash, sid: bound.sid, profile: input.profile, nonces, ...auth }),
  );
  return db.$transaction(async (t) => {
    if (!(await startCeremonyParty(t, { id: c.id, from: input.from, state: server.state, outgoing: server.outgoing, kind: "sign" }))) return false;
    await input.onStarted?.(t);
    return true;
  });
}

/** Ends a session whose server party could not start, and gives its reservation back. */
export async function abandonSession(db: DbOrTx, ceremonyId: string): Promise<void> {
  const ended = await db.ceremony.updateMany({ where: { id: ceremonyId, status: { in: ["open", "pending_approval"] } }, data: { status: "aborted", completedAt: new Date() } });
  if (ended.count === 1) recordCeremonyEnded("sign", "aborted");
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ${ceremonyId}::uuid`;
  await releaseEndedCeremonies(db, [ceremonyId]);
}

export type SessionAudit = { actor: AuditActor; context?: AuditContext };

/**
 * Starts a signing session. Before the server computes anything, the guardrails decide (and the
 * decision is recorded with its spend reservation): deny throws 403 "Policy violation" with every
 * violation; require_approval parks the session (status pending_approval, no server state yet);
 * allow runs the server's first round. If that fails, the session is aborted and its spend released.
 */
export async function startSignSession(db: Db, input: { organizationId: string; signerId: string; mode: SignMode; sign: SignInput; clientNonce: string; identityKey?: string; identityCertificate?: string; profile: SecurityProfile; audit: SessionAudit }) {
  const signer = await db.signer.findFirst({ where: { id: input.signerId, organizationId: input.organizationId, deletedAt: null }, include: { serverShare: true } });
  if (!signer) throw new NotFoundError("Signer not found");
  if (signer.status === "paused") {
    await recordAudit(db, { organizationId: input.organizationId, actor: input.audit.actor, action: "signing.refused", resourceType: "signer", resourceId: signer.id, outcome: "denied", details: { reason: "Signer is paused", mode: input.mode }, context: input.audit.context });
    throw new ForbiddenError("Signer is paused");
  }
  // The agent's kill switch (lib/agents): a paused or retired agent's signers do not sign.
  try {
    await assertSignerAgentActive(db, signer);
  } catch (err) {
    if (err instanceof AgentInactiveError) {
      await recordAudit(db, { organizationId: input.organizationId, actor: input.audit.actor, action: "signing.refused", resourceType: "signer", resourceId: signer.id, outcome: "denied", details: { reason: err.message, agentId: signer.agentId, mode: input.mode }, context: input.audit.context });
    }
    throw err;
  }
  if (signer.status !== "active" || !signer.address || !signer.serverShare) throw new ConflictError(`Signer is ${signer.status}`);
  const { hash, request, tx } = await digestOf(db, { address: signer.address, chainId: signer.chainId }, input.sign);

  const client = input.mode === "signer_server" ? PARTY.agent : PARTY.user;
  const signers = [client, PARTY.server].sort((a, b) => a - b);
  const serverNonce = randomBytes(32);
  const messageHash = hash.slice(2);
  const sid = signSid({ keyId: signer.id, serverNonce: hex(serverNonce), clientNonce: input.clientNonce, messageHash, signers });
  const id = randomUUID();
  const context: SessionContext = { mode: input.mode, kind: input.sign.kind, clientParty: client, signers, sid, messageHash, serverNonce: hex(serverNonce), clientNonce: input.clientNonce, transaction: tx ? txToJson(tx) : null, request: input.sign.kind === "transaction" ? null : input.sign };
  // Authenticated blame: a client that sends its identity key gets a session in which every message is signed.
  if (input.identityKey) context.identities = { [client]: input.identityKey, [PARTY.server]: (await serverIdentity()).publicKey };
  // A signer with a registered long-term identity for this party signs only with it, or with a key
  // it certified (now, or with the first round: the browser's passkey answers after the review).
  const registered = registeredIdentity(signer, client);
  if (registered && !input.identityKey) throw new BadRequestError("This signer's sessions are signed by its registered identity: send identityKey", [{ field: "body.identityKey", message: "Required" }]);
  const standing = sessionKeyStanding({ registered, sessionKey: input.identityKey, certificate: input.identityCertificate, signerId: signer.id, sid });
  if (input.identityCertificate && standing === "uncertified") throw new ForbiddenError("identityCertificate is not this signer's registered identity vouching for identityKey in this session");
  if (registered) {
    context.identityCertified = standing === "certified";
    if (input.identityCertificate) context.identityCertificate = input.identityCertificate;
  }

  const record = await decideSigning(db, {
    organizationId: input.organizationId,
    signerId: signer.id,
    mode: input.mode,
    request: policyRequestOf(request, signer.chainId),
    messageHash: hash,
    audit: input.audit,
    openCeremony: (t, status) =>
      createCeremonyShell(t, { id, organizationId: input.organizationId, signerId: signer.id, kind: "sign", parties: signers, context, status, ttlMs: status === "pending_approval" ? APPROVAL_TTL_MS : undefined }),
  });
  const { decision } = record;
  if (decision.outcome === "deny") throw new PolicyViolationError(decision.violations.map(({ policyId, type, message }) => ({ policyId, type, message })));
  recordSigningSessionStarted(input.mode, decision.outcome === "allow" ? "open" : "pending_approval");

  const base = { sessionId: id, sid, serverNonce: context.serverNonce, clientNonce: context.clientNonce, ...(context.identities ? { identities: context.identities } : {}), messageHash: hash, signers, party: client, transaction: tx ? txToJson(tx) : null, signingRequestId: record.signingRequestId, signer };
  if (decision.outcome === "require_approval") {
    return { ...base, status: "pending_approval" as const, expiresAt: record.ceremony!.expiresAt.toISOString(), messages: [], approvals: decision.approvals.map((a) => a.message) };
  }
  try {
    const started = await withSpan("signing.server_first_round", { "countersign.ceremony_id": id }, () => startServerParty(db, { ceremonyId: id, signerId: signer.id, from: "open", profile: input.profile }));
    if (!started) throw new ConflictError("The signing session ended before the server could start it; start a new one");
  } catch (err) {
    await abandonSession(db, id);
    throw err;
  }
  const c = await db.ceremony.findUniqueOrThrow({ where: { id } });
  return { ...base, status: "open" as const, expiresAt: c.expiresAt.toISOString(), messages: await messagesFor(db, id, client, 0n), approvals: [] as string[] };
}

function registeredIdentity(signer: { agentIdentityKey: string | null; userIdentityKey: string | null }, party: number): string | null {
  return party === PARTY.agent ? signer.agentIdentityKey : party === PARTY.user ? signer.userIdentityKey : null;
}

/**
 * Before a client's round is taken: a session whose key the registered identity has not vouched for
 * yet needs the certificate now (checked, then kept with the session as evidence). Nothing of the
 * round is stored otherwise.
 */
export async function requireCertifiedClient(db: DbOrTx, c: { id: string; context: unknown }, signer: { id: string; agentIdentityKey: string | null; userIdentityKey: string | null }, certificate: string | undefined): Promise<void> {
  const ctx = c.context as SessionContext;
  if (ctx.identityCertified !== false) return;
  const registered = registeredIdentity(signer, ctx.clientParty);
  const standing = sessionKeyStanding({ registered, sessionKey: ctx.identities?.[ctx.clientParty], certificate, signerId: signer.id, sid: ctx.sid });
  if (standing !== "certified") {
    const who = ctx.clientParty === PARTY.agent ? "agent" : "user";
    throw new ForbiddenError(`This session's key is not certified by the signer's registered ${who} identity: send identityCertificate`);
  }
  const next: SessionContext = { ...ctx, identityCertified: true, identityCertificate: certificate };
  await db.ceremony.update({ where: { id: c.id }, data: { context: next as unknown as Prisma.InputJsonValue } });
}

/** A session's status, for clients waiting on an approval (and for the dashboard). */
export async function signSessionStatus(db: DbOrTx, input: { organizationId: string; sessionId: string; signerId?: string; clientParty: number }) {
  const c = await db.ceremony.findFirst({ where: { id: input.sessionId, organizationId: input.organizationId }, include: { signingRequest: true } });
  const ctx = c?.context as SessionContext | undefined;
  if (!c || !ctx || c.kind !== "sign" || (input.signerId && c.signerId !== input.signerId) || ctx.clientParty !== input.clientParty) throw new NotFoundError("Signing session not found");
  const status = (c.status === "open" || c.status === "pending_approval") && c.expiresAt <= new Date() ? "expired" : c.status;
  const r = c.signingRequest;
  const decision = r?.decision as { violations?: { message: string }[]; approvals?: { message: string }[] } | undefined;
  return {
    sessionId: c.id,
    status,
    kind: ctx.kind,
    signingRequestId: r?.id ?? null,
    requestStatus: r?.status ?? null,
    expiresAt: c.expiresAt.toISOString(),
    messageHash: `0x${ctx.messageHash}`,
    sid: ctx.sid,
    serverNonce: ctx.serverNonce,
    clientNonce: ctx.clientNonce,
    ...(ctx.identities ? { identities: ctx.identities } : {}),
    signers: ctx.signers,
    party: ctx.clientParty,
    transaction: ctx.transaction,
    approvals: (decision?.approvals ?? []).map((a) => a.message),
    decidedAt: r?.decidedAt?.toISOString() ?? null,
    messages: status === "open" ? await messagesFor(db, c.id, ctx.clientParty, 0n) : [],
  };
}

/** Stored as the ceremony's result when the server's party outputs the signature. */
export function signatureResult(sig: EcdsaSignature) {
  return { r: `0x${sig.r}`, s: `0x${sig.s}`, yParity: sig.v };
}

type SigResult = { r: Hex; s: Hex; yParity: 0 | 1; txHash?: Hex };

export async function completeSignSession(db: Db, input: { organizationId: string; sessionId: string; signerId?: string; clientParty: number; expect: "transaction" | "message" }) {
  const c = await loadCeremony(db, input.sessionId, input.organizationId);
  const ctx = c.context as { clientParty: number; kind: string; transaction: TxJson | null; messageHash: string };
  if (c.kind !== "sign" || (input.signerId && c.signerId !== input.signerId) || ctx.clientParty !== input.clientParty) throw new NotFoundError("Signing session not found");
  const isTx = ctx.kind === "transaction";
  if (isTx !== (input.expect === "transaction")) throw new BadRequestError(isTx ? "This is a transaction session: use /sign/complete" : "This is a message session: use /sign-message/complete");
  if (c.status !== "completed") throw new ConflictError(`Signing session is ${c.status}; finish the rounds first`);
  const sig = c.result as SigResult;
  const signer = await db.signer.findUniqueOrThrow({ where: { id: c.signerId } });
  const v = sig.yParity + 27;
  const signature = `${sig.r}${sig.s.slice(2)}${v.toString(16)}` as Hex;
  if (!isTx) {
    await commitSpend(db, c.id);
    return { kind: "message" as const, v, r: sig.r, s: sig.s, signature, signer };
  }
  if (sig.txHash) return { kind: "transaction" as const, txHash: sig.txHash, signature, signer, alreadyBroadcast: true };
  const tx = txFromJson(ctx.transaction!);
  const raw = attachSignature(tx, { r: sig.r, s: sig.s, yParity: sig.yParity });
  if ((await recoverSender(raw)) !== signer.address) throw new ConflictError("The joint signature does not recover to the signer's address; nothing was broadcast");
  const network = await requireNetwork(db, signer.chainId, "signer.chainId");
  const txHash = await broadcastRawTransaction(publicClientFor(network), raw).catch((err: Error) => {
    throw new ConflictError(`The network rejected the transaction: ${err.message.split("\n")[0]}`);
  });
  await db.$transaction(async (t) => {
    await t.ceremony.update({ where: { id: c.id }, data: { result: { ...sig, txHash } as Prisma.InputJsonValue } });
    await commitSpend(t, c.id, txHash);
  });
  return { kind: "transaction" as const, txHash, signature, signer, alreadyBroadcast: false };
}
