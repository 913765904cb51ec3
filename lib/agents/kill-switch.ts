/**
 * Pausing an agent is a kill switch (issue #11, C2). In one transaction, under a lock on the agent
 * row: the status changes, every open or parked signing session of its signers is aborted (server
 * state wiped, spend reservations released) and the change is audited. While paused (or retired) its
 * signing sessions and rounds, its seed 004 requests and its gateway checks are refused.
 */
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { releaseEndedCeremonies } from "@/lib/signing/spend-ledger";
import { NotFoundError } from "@/lib/http/errors";
import { gateFor, requireActive, transition, type AgentAction, type AgentGate, type AgentRow, type AgentStatus } from "./model";

type Change = { organizationId: string; id: string; actor: AuditActor; context?: AuditContext };

const ACTION_EVENT: Record<AgentAction, string> = { pause: "agent.paused", resume: "agent.resumed", retire: "agent.retired" };

/** Aborts the open and parked signing sessions of the agent's signers; returns their ids. */
async function abortSessions(tx: DbOrTx, agentId: string): Promise<string[]> {
  const now = new Date();
  const ended = await tx.$queryRaw<{ id: string }[]>`UPDATE "ceremonies" c
    SET "status" = 'aborted', "server_state" = NULL, "completed_at" = ${now}::timestamptz, "updated_at" = ${now}::timestamptz, "version" = c."version" + 1
    FROM "signers" s
    WHERE s."id" = c."signer_id" AND s."agent_id" = ${agentId}::uuid AND c."kind" = 'sign' AND c."status" IN ('open', 'pending_approval')
    RETURNING c."id"`;
  const ids = ended.map((r) => r.id);
  await releaseEndedCeremonies(tx, ids);
  return ids;
}

async function change(db: Db, input: Change, action: AgentAction): Promise<{ agent: AgentRow; abortedSessions: number }> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: AgentStatus }[]>`SELECT "status" FROM "agents" WHERE "id" = ${input.id}::uuid AND "organization_id" = ${input.organizationId}::uuid FOR UPDATE`;
    if (!locked.length) throw new NotFoundError("Agent not found");
    const to = transition(locked[0]!.status, action);
    const agent = await tx.agent.update({ where: { id: input.id }, data: { status: to, pausedAt: to === "paused" ? new Date() : null } });
    const aborted = to === "active" ? [] : await abortSessions(tx, input.id);
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: ACTION_EVENT[action],
      resourceType: "agent",
      resourceId: input.id,
      details: { name: agent.name, from: locked[0]!.status, to, abortedSessions: aborted },
      context: input.context,
    });
    return { agent, abortedSessions: aborted.length };
  });
}

export const pauseAgent = (db: Db, input: Change) => change(db, input, "pause");
export const resumeAgent = (db: Db, input: Change) => change(db, input, "resume");
/** DELETE /api/v1/agents/{id}: retiring is final and stops everything pausing stops. */
export const retireAgent = (db: Db, input: Change) => change(db, input, "retire");

/**
 * The signing path's check: 403 "Agent is paused" (or "Agent is retired") when the signer's agent
 * may not act. A signer without an agent (none after the migration) is not blocked here.
 */
export async function assertSignerAgentActive(db: DbOrTx, signer: { agentId: string | null }): Promise<void> {
  if (!signer.agentId) return;
  const a = await db.agent.findUnique({ where: { id: signer.agentId }, select: { status: true } });
  requireActive(a?.status);
}

/** An agent referred to by its registry id or by its seed 002 `agent_id`. */
export type AgentRef = { id: string } | { aegisAgentId: string };

/**
 * For the gateway (seed 002 `/api/v1/check`, which comes later): `block` with reason `agent paused`
 * (or `agent retired`) before any tool policy is evaluated; `null` when the organization has no such
 * agent (the gateway decides what an unknown agent gets).
 */
export async function assertAgentActive(db: DbOrTx, organizationId: string, ref: AgentRef): Promise<AgentGate | null> {
  const where = "id" in ref ? { id: ref.id, organizationId } : { aegisAgentId: ref.aegisAgentId, organizationId };
  const a = await db.agent.findFirst({ where, select: { id: true, status: true } });
  return a ? gateFor(a) : null;
}
