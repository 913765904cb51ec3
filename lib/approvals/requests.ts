import { getAddress, type Address, type Hex } from "viem";
import { recordAudit, type AuditContext } from "@/lib/audit/record";
import type { Db, DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, GoneError, NotFoundError } from "@/lib/http/errors";
import { log } from "@/lib/log/logger";
import { notifyOrganization } from "@/lib/push/notify";
import type { AgentRow } from "./agents";
import type { ClearSigningJson, IntentAction } from "./clear-signing";
import { networkOr422, readSafeOr503 } from "./drafts";
import { resumeStalledRequests } from "./execute";
import { newId } from "./ids";
import { requestJson } from "./present";
import { recoverSafeSignature } from "./signatures";

const withAgent = { agent: { select: { address: true } } } as const;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export function totalValue(actions: readonly IntentAction[]): bigint {
  return actions.reduce((s, a) => s + BigInt(a.value), 0n);
}

/** The page a notification opens (the PWA's approval page). */
export function approvalUrl(notificationId: string): string {
  return `/approvals/${encodeURIComponent(notificationId)}`;
}

/**
 * POST /api/requests: the agent's signature over the draft's safeTxHash must recover to the agent,
 * an owner of the Safe as read on-chain now. Creates the request (pending_human) and its
 * notification in one transaction, then pushes to the organization's devices.
 */
export async function submitRequest(db: Db, agent: AgentRow, body: { draftId: string; signer: string; signature: string }, context: { audit: AuditContext; now?: Date }) {
  const now = context.now ?? new Date();
  const draft = await db.approvalDraft.findFirst({ where: { id: body.draftId, organizationId: agent.organizationId, agentId: agent.id }, include: { request: { select: { id: true } } } });
  if (!draft) throw new NotFoundError("Draft not found");
  if (draft.request) throw new ConflictError(`Draft ${draft.id} was already submitted (request ${draft.request.id})`);
  if (draft.expiresAt <= now) throw new GoneError(`Draft ${draft.id} expired at ${draft.expiresAt.toISOString()}; create a new draft`);
  const signer = getAddress(body.signer);
  if (signer !== getAddress(agent.address)) throw new BadRequestError(`signer ${signer} is not the paired agent ${getAddress(agent.address)}`, [{ field: "body.signer", message: "Not the authenticated agent" }]);

  const network = await networkOr422(db, draft.chainId);
  const safe = await readSafeOr503(network, getAddress(draft.safeAddress));
  const check = await recoverSafeSignature(draft.safeTxHash as Hex, body.signature as Hex, safe.owners);
  if (!check.ok || check.value.owner !== signer) {
    const who = check.ok ? check.value.owner : check.recovered[0];
    throw new BadRequestError(
      `The signature does not come from the agent as an owner of Safe ${safe.address}${who ? ` (it recovers to ${who})` : ""}; sign the draft's safeTxHash with the agent's key`,
      [{ field: "body.signature", message: "Not an owner's signature over safeTxHash" }],
    );
  }
  const intent = draft.intent as { actions: IntentAction[] };
  const clearSigning = draft.clearSigning as ClearSigningJson;

  return openPendingRequest(db, {
    organizationId: agent.organizationId,
    agentId: agent.id,
    mode: "safe",
    chainId: draft.chainId,
    intent,
    clearSigning,
    subjectHash: draft.safeTxHash,
    agentSignature: check.value.signature,
    fields: { draftId: draft.id, safeAddress: draft.safeAddress, safe: draft.safe as object, safeTransaction: draft.safeTransaction as object },
    actorLabel: `agent ${getAddress(agent.address)}`,
    auditDetails: { draftId: draft.id, safeAddress: draft.safeAddress, safeTxHash: draft.safeTxHash, description: clearSigning.aggregatedDescription, signatureKind: check.value.kind },
    conflict: `Draft ${draft.id} was already submitted`,
    audit: context.audit,
    now,
  });
}

export interface PendingRequestInput {
  organizationId: string;
  agentId: string;
  mode: "safe" | "turnkey";
  chainId: number;
  intent: { actions: IntentAction[] };
  clearSigning: ClearSigningJson;
  /** What the human approves: the Safe's safeTxHash, or the hash of Turnkey's unsigned transaction. */
  subjectHash: string;
  agentSignature: string;
  /** The mode's own columns of approval_requests (the Safe's draft, address and transaction). */
  fields?: { draftId?: string; safeAddress?: string; safe?: object; safeTransaction?: object };
  actorLabel: string;
  auditDetails: Record<string, unknown>;
  /** The 409's message when a unique constraint says this was submitted already. */
  conflict: string;
  audit: AuditContext;
  now: Date;
  /** The mode's own rows, written in the same transaction (it may throw to roll everything back). */
  alsoWrite?: (tx: DbOrTx, requestId: string) => Promise<void>;
}

/**
 * Opens an approval request waiting for a human (pending_human) whatever its mode: the request, its
 * inbox notification and the audit event in one transaction, then a push to the organization's devices.
 */
export async function openPendingRequest(db: Db, input: PendingRequestInput) {
  const description = input.clearSigning.aggregatedDescription;
  let created;
  try {
    created = await db.$transaction(async (tx) => {
      const request = await tx.approvalRequest.create({
        data: {
          id: newId("req"),
          organizationId: input.organizationId,
          agentId: input.agentId,
          mode: input.mode,
          status: "pending_human",
          chainId: input.chainId,
          intent: input.intent as object,
          clearSigning: input.clearSigning as object,
          subjectHash: input.subjectHash,
          valueWei: totalValue(input.intent.actions).toString(),
          agentSignature: input.agentSignature,
          createdAt: input.now,
          ...input.fields,
        },
      });
      await input.alsoWrite?.(tx, request.id);
      const notification = await tx.approvalNotification.create({
        data: { id: newId("ntf"), organizationId: input.organizationId, requestId: request.id, message: description, createdAt: input.now },
      });
      await recordAudit(tx, {
        organizationId: input.organizationId,
        actor: { type: "credential", label: input.actorLabel },
        action: "approval.requested",
        resourceType: "approval_request",
        resourceId: request.id,
        details: input.auditDetails,
        context: input.audit,
      });
      return { request, notification };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(input.conflict);
    throw err;
  }
  await notifyDevices(db, input.organizationId, created.notification.id, created.request.id, description);
  return { requestId: created.request.id, status: "pending_human" as const, description, createdAt: created.request.createdAt.getTime() };
}

/** Push failures never fail the request: the notification is in the inbox either way. */
export async function notifyDevices(db: DbOrTx, organizationId: string, notificationId: string, requestId: string, description: string) {
  try {
    await notifyOrganization(db, { organizationId, notificationId, title: "Approval needed", body: description, url: approvalUrl(notificationId), requestId });
  } catch (err) {
    log.warn("push notification could not be queued", { organizationId, notificationId, error: (err as Error).message });
  }
}

/** Safe-mode requests of the organization (optionally one agent's), newest first. */
export async function listRequests(db: Db, organizationId: string, filter: { agentId?: string; agentAddress?: string } = {}) {
  await resumeStalledRequests(db, organizationId);
  const rows = await db.approvalRequest.findMany({
    where: { organizationId, mode: "safe", ...(filter.agentId ? { agentId: filter.agentId } : {}), ...(filter.agentAddress ? { agent: { address: getAddress(filter.agentAddress as Address) } } : {}) },
    include: withAgent,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map((r) => requestJson(r)!).filter(Boolean);
}

export async function getRequest(db: DbOrTx, organizationId: string, id: string, agentId?: string) {
  const row = await db.approvalRequest.findFirst({ where: { id, organizationId, mode: "safe", ...(agentId ? { agentId } : {}) }, include: withAgent });
  const json = row ? requestJson(row) : null;
  if (!json) throw new NotFoundError("Request not found");
  return json;
}
