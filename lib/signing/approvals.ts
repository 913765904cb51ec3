/**
 * Signing requests (every guardrail decision) and the human step for those a rule sent to an
 * approver: approving runs the server's party and opens the parked session with a fresh TTL;
 * rejecting ends it and gives its spend back. Both are audited with the deciding user.
 */
import { recordEvidence } from "@/lib/trust/evidence";
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { appendDecision } from "@/lib/tlog/append";
import type { SigningRequestStatus } from "@/lib/generated/prisma/enums";
import { BadRequestError, ConflictError, ForbiddenError, GoneError, NotFoundError } from "@/lib/http/errors";
import { decodeRequest, type PolicyDecision } from "@/lib/policy";
import { recordCeremonyEnded } from "@/lib/ops/metrics";
import type { SecurityProfile } from "@/lib/mpc";
import { expireCeremonies } from "./ceremonies";
import { requestSummary } from "./guardrails";
import { startServerParty } from "./sign-sessions";
import { requestFromJson } from "./spend-ledger";

type Row = Awaited<ReturnType<typeof loadRow>>;

async function loadRow(db: DbOrTx, organizationId: string, id: string) {
  const r = await db.signingRequest.findFirst({ where: { id, organizationId }, include: { signer: { select: { id: true, name: true, status: true, deletedAt: true, agentId: true } }, ceremony: true } });
  if (!r) throw new NotFoundError("Signing request not found");
  return r;
}

function summary(stored: unknown) {
  try {
    const s = requestSummary(decodeRequest(requestFromJson(stored)));
    return { to: s.to, value: s.value, selector: s.selector, tokenAction: s.erc20, messagePreview: s.messagePreview };
  } catch {
    return { to: null, value: "0", selector: null, tokenAction: null, messagePreview: null };
  }
}

type Decider = { id: string; name: string | null; email: string | null };

function view(r: Row, deciders: Map<string, Decider>) {
  const d = r.decision as unknown as PolicyDecision;
  return {
    id: r.id,
    signerId: r.signerId,
    signerName: r.signer.name,
    mode: r.mode,
    kind: r.kind,
    outcome: r.outcome as PolicyDecision["outcome"],
    status: r.status,
    request: summary(r.request),
    spend: r.spend as { asset: string; amount: string }[],
    violations: (d.violations ?? []).map(({ policyId, type, message }) => ({ policyId, type, message })),
    approvals: (d.approvals ?? []).map((a) => a.message),
    matchedRule: d.matchedRule ? { ruleId: d.matchedRule.ruleId, action: d.matchedRule.action, description: d.matchedRule.description } : null,
    evaluated: { policies: d.evaluated?.policies ?? [], document: d.evaluated?.document ?? null },
    ceremonyId: r.ceremonyId,
    sessionStatus: r.ceremony ? ((r.ceremony.status === "open" || r.ceremony.status === "pending_approval") && r.ceremony.expiresAt <= new Date() ? "expired" : r.ceremony.status) : null,
    expiresAt: r.ceremony?.expiresAt.toISOString() ?? null,
    messageHash: r.messageHash,
    txHash: r.txHash,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedById ? (deciders.get(r.decidedById) ?? { id: r.decidedById, name: null, email: null }) : null,
  };
}

export type SigningRequestView = ReturnType<typeof view>;

async function decidersOf(db: DbOrTx, rows: Row[]): Promise<Map<string, Decider>> {
  const ids = [...new Set(rows.map((r) => r.decidedById).filter((x): x is string => !!x))];
  if (!ids.length) return new Map();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, u]));
}

const encodeKey = (r: { createdAt: Date; id: string }) => Buffer.from(`sr1:${r.createdAt.getTime()}:${r.id}`, "utf8").toString("base64url");

function decodeKey(cursor: string): { at: Date; id: string } {
  const m = /^sr1:(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new BadRequestError("Invalid cursor", [{ field: "cursor", message: "Invalid cursor" }]);
  return { at: new Date(Number(m[1])), id: m[2]! };
}

/** Newest first; an opaque cursor continues after the last item of the previous page. */
export async function listSigningRequests(db: Db, input: { organizationId: string; status?: SigningRequestStatus; signerId?: string; agentId?: string; cursor: string | null; limit: number }) {
  await expireCeremonies(db);
  const after = input.cursor ? decodeKey(input.cursor) : null;
  const rows = await db.signingRequest.findMany({
    where: {
      organizationId: input.organizationId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.signerId ? { signerId: input.signerId } : {}),
      ...(input.agentId ? { signer: { agentId: input.agentId } } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    include: { signer: { select: { id: true, name: true, status: true, deletedAt: true, agentId: true } }, ceremony: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const deciders = await decidersOf(db, page);
  return { items: page.map((r) => view(r, deciders)), nextCursor: more ? encodeKey(page[page.length - 1]!) : null };
}

export async function getSigningRequest(db: Db, organizationId: string, id: string): Promise<SigningRequestView> {
  await expireCeremonies(db);
  const r = await loadRow(db, organizationId, id);
  return view(r, await decidersOf(db, [r]));
}

/** A request an approver can still decide, or the reason it cannot be. */
async function decidable(db: Db, organizationId: string, id: string) {
  const r = await loadRow(db, organizationId, id);
  if (r.status !== "pending_approval") throw new ConflictError(`This signing request is ${r.status}; only requests pending approval can be decided`);
  const c = r.ceremony;
  if (!c || r.signer.deletedAt) throw new ConflictError("This signing request's session no longer exists");
  if (c.status === "expired" || (c.status === "pending_approval" && c.expiresAt <= new Date())) {
    await expireCeremonies(db);
    throw new GoneError("This signing request expired before it was decided; its spend was released");
  }
  if (c.status !== "pending_approval") throw new ConflictError(`This signing request's session is ${c.status}`);
  return { r, c };
}

async function actorFor(db: DbOrTx, userId: string, actor?: AuditActor): Promise<AuditActor> {
  if (actor) return actor;
  const u = await db.user.findUnique({ where: { id: userId }, select: { email: true, walletAddress: true } });
  return { type: "user", id: userId, label: u?.email ?? u?.walletAddress ?? userId };
}

/**
 * Approves a request parked by a require_approval decision: runs the server's first signing round,
 * opens the session with a fresh TTL (the client's rounds now proceed), keeps its spend reserved and
 * records who decided. 409 when it is no longer pending, 410 when it expired first.
 */
export async function approveSigningRequest(
  db: Db,
  input: { organizationId: string; signingRequestId: string; userId: string; profile: SecurityProfile; actor?: AuditActor; context?: AuditContext },
): Promise<SigningRequestView> {
  const { r, c } = await decidable(db, input.organizationId, input.signingRequestId);
  if (r.signer.status === "paused") throw new ForbiddenError("Signer is paused");
  const actor = await actorFor(db, input.userId, input.actor);
  const decidedAt = new Date();
  const started = await startServerParty(db, {
    ceremonyId: c.id,
    signerId: r.signerId,
    from: "pending_approval",
    profile: input.profile,
    onStarted: async (tx) => {
      const won = await tx.signingRequest.updateMany({ where: { id: r.id, status: "pending_approval" }, data: { status: "reserved", decidedById: input.userId, decidedAt } });
      if (won.count !== 1) throw new ConflictError("This signing request was decided meanwhile");
      const d = r.decision as unknown as PolicyDecision;
      await recordAudit(tx, {
        organizationId: input.organizationId,
        actor,
        action: "signing.approved",
        resourceType: "signing_request",
        resourceId: r.id,
        details: { signingRequestId: r.id, signerId: r.signerId, sessionId: c.id, mode: r.mode, kind: r.kind, messageHash: r.messageHash, approvals: d.approvals, policies: d.evaluated?.policies ?? [], document: d.evaluated?.document ?? null },
        context: input.context,
      });
      await appendDecision(tx, { kind: "signing.human_decision", organizationId: input.organizationId, decisionId: r.id, decision: "approved", actor: { type: actor.type, id: actor.id ?? null }, digest: r.messageHash, subject: { type: "signer", id: r.signerId }, time: decidedAt });
      await recordEvidence(tx, [{ agentId: r.signer.agentId, kind: "signing.approved", ref: r.id, at: decidedAt.getTime() }]);
    },
  });
  if (!started) throw new ConflictError("This signing request was decided or expired meanwhile");
  return getSigningRequest(db, input.organizationId, r.id);
}

/** Rejects a parked request: its session ends (status rejected) and its spend is released. */
export async function rejectSigningRequest(
  db: Db,
  input: { organizationId: string; signingRequestId: string; userId: string; reason?: string; actor?: AuditActor; context?: AuditContext },
): Promise<SigningRequestView> {
  const { r, c } = await decidable(db, input.organizationId, input.signingRequestId);
  const actor = await actorFor(db, input.userId, input.actor);
  await db.$transaction(async (tx) => {
    const now = new Date();
    const ended = await tx.ceremony.updateMany({ where: { id: c.id, status: "pending_approval" }, data: { status: "rejected", completedAt: now, version: { increment: 1 } } });
    const won = await tx.signingRequest.updateMany({ where: { id: r.id, status: "pending_approval" }, data: { status: "rejected", decidedById: input.userId, decidedAt: now } });
    if (ended.count !== 1 || won.count !== 1) throw new ConflictError("This signing request was decided or expired meanwhile");
    const d = r.decision as unknown as PolicyDecision;
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor,
      action: "signing.rejected",
      resourceType: "signing_request",
      resourceId: r.id,
      outcome: "denied",
      details: { signingRequestId: r.id, signerId: r.signerId, sessionId: c.id, mode: r.mode, kind: r.kind, messageHash: r.messageHash, reason: input.reason ?? null, policies: d.evaluated?.policies ?? [], document: d.evaluated?.document ?? null },
      context: input.context,
    });
    await appendDecision(tx, { kind: "signing.human_decision", organizationId: input.organizationId, decisionId: r.id, decision: "rejected", actor: { type: actor.type, id: actor.id ?? null }, digest: r.messageHash, subject: { type: "signer", id: r.signerId }, time: now });
    await recordEvidence(tx, [{ agentId: r.signer.agentId, kind: "signing.rejected", ref: r.id, at: now.getTime() }]);
  });
  recordCeremonyEnded("sign", "rejected");
  return getSigningRequest(db, input.organizationId, r.id);
}
