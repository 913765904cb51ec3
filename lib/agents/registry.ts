/**
 * The Agent registry's database side: list, read, create, update, attach signers, and the agent a
 * new signer or seed 004 pairing joins. Pure rules live in ./model.ts; pausing in ./kill-switch.ts.
 */
import { assertCanAdd } from "@/lib/billing/limits";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { conflictingIdentifier, identifierColumns, presentAgent, type AgentIdentifiers, type AgentRow, type AgentStats, type AgentStatus } from "./model";

export async function getAgentRow(db: DbOrTx, organizationId: string, id: string): Promise<AgentRow> {
  const a = await db.agent.findFirst({ where: { id, organizationId } });
  if (!a) throw new NotFoundError("Agent not found");
  return a;
}

/** Signers (not deleted), pairings and the newest signing decision of each agent. */
export async function statsFor(db: DbOrTx, agentIds: readonly string[]): Promise<Map<string, AgentStats>> {
  const ids = [...agentIds];
  const out = new Map<string, AgentStats>(ids.map((id) => [id, { signerIds: [], pairingIds: [], lastActivityAt: null }]));
  if (!ids.length) return out;
  const signers = await db.signer.findMany({ where: { agentId: { in: ids }, deletedAt: null }, select: { id: true, agentId: true }, orderBy: { createdAt: "asc" } });
  for (const s of signers) out.get(s.agentId!)!.signerIds.push(s.id);
  const pairings = await db.approvalAgent.findMany({ where: { agentRecordId: { in: ids } }, select: { id: true, agentRecordId: true }, orderBy: { createdAt: "asc" } });
  for (const p of pairings) out.get(p.agentRecordId!)!.pairingIds.push(p.id);
  const last = await db.$queryRaw<{ agent_id: string; at: Date }[]>`SELECT s."agent_id", max(r."created_at") AS at
    FROM "signing_requests" r JOIN "signers" s ON s."id" = r."signer_id" WHERE s."agent_id" = ANY(${ids}::uuid[]) GROUP BY s."agent_id"`;
  for (const r of last) out.get(r.agent_id)!.lastActivityAt = r.at;
  return out;
}

export async function viewOf(db: DbOrTx, a: AgentRow) {
  return presentAgent(a, (await statsFor(db, [a.id])).get(a.id)!);
}

function encodeCursor(a: { createdAt: Date; id: string }) {
  return Buffer.from(`ag1:${a.createdAt.getTime()}:${a.id}`, "utf8").toString("base64url");
}
function decodeCursor(cursor: string) {
  const m = /^ag1:(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new BadRequestError("Invalid cursor", [{ field: "query.cursor", message: "Invalid cursor" }]);
  return { at: new Date(Number(m[1])), id: m[2]! };
}

/** Newest first, cursor-paginated. */
export async function listAgents(db: DbOrTx, input: { organizationId: string; status?: AgentStatus; cursor: string | null; limit: number }) {
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await db.agent.findMany({
    where: {
      organizationId: input.organizationId,
      ...(input.status ? { status: input.status } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const stats = await statsFor(db, page.map((a) => a.id));
  return { items: page.map((a) => presentAgent(a, stats.get(a.id)!)), nextCursor: rows.length > input.limit ? encodeCursor(page[page.length - 1]!) : null };
}

/** A unique identifier already taken answers 409 naming it (never a 500). */
async function uniquely<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const e = err as { code?: string; meta?: unknown; message?: string };
    if (e.code === "P2002" || e.code === "23505") {
      const field = conflictingIdentifier(`${JSON.stringify(e.meta ?? {})} ${e.message ?? ""}`);
      throw new ConflictError(`Another agent already has this ${field}`);
    }
    throw err;
  }
}

async function requireMember(db: DbOrTx, organizationId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
  if (!m) throw new BadRequestError("The owner must be a member of this organization", [{ field: "body.ownerId", message: "Not a member" }]);
}

export type AgentInput = { name: string; description?: string | null; ownerId?: string | null; identifiers?: Partial<AgentIdentifiers> };

export async function createAgent(db: DbOrTx, input: AgentInput & { organizationId: string; createdById: string | null }): Promise<AgentRow> {
  if (input.ownerId) await requireMember(db, input.organizationId, input.ownerId);
  await assertCanAdd(db, input.organizationId, "agents");
  return uniquely(() =>
    db.agent.create({
      data: {
        organizationId: input.organizationId,
        name: input.name,
        description: input.description ?? null,
        ownerId: input.ownerId ?? null,
        createdById: input.createdById,
        ...identifierColumns(input.identifiers ?? {}),
      },
    }),
  );
}

export async function updateAgent(db: DbOrTx, organizationId: string, id: string, patch: Partial<AgentInput>): Promise<AgentRow> {
  const a = await getAgentRow(db, organizationId, id);
  if (a.status === "retired") throw new ConflictError("Agent is retired");
  if (patch.ownerId) await requireMember(db, organizationId, patch.ownerId);
  return uniquely(() =>
    db.agent.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}),
        ...identifierColumns(patch.identifiers ?? {}),
      },
    }),
  );
}

/**
 * Moves a signer to this agent (from whichever agent it belonged to). There is no bare detach: every
 * signer belongs to an agent, so to detach one, attach it to another agent.
 */
export async function attachSigner(db: DbOrTx, organizationId: string, agentId: string, signerId: string) {
  const agent = await getAgentRow(db, organizationId, agentId);
  if (agent.status === "retired") throw new ConflictError("Agent is retired");
  const signer = await db.signer.findFirst({ where: { id: signerId, organizationId, deletedAt: null } });
  if (!signer) throw new NotFoundError("Signer not found");
  const updated = await db.signer.update({ where: { id: signer.id }, data: { agentId } });
  return { agent, signer: updated, previousAgentId: signer.agentId };
}

/**
 * The agent a new signer or pairing belongs to: the one named (it must be this organization's and
 * not retired; 400 otherwise, naming the field), or a new one.
 */
export async function agentForNew(
  db: DbOrTx,
  input: { organizationId: string; agentId?: string | null; field: string; create: AgentInput; createdById: string | null },
): Promise<{ agent: AgentRow; created: boolean }> {
  if (input.agentId) {
    const agent = await db.agent.findFirst({ where: { id: input.agentId, organizationId: input.organizationId } });
    if (!agent) throw new BadRequestError("No such agent in this organization", [{ field: input.field, message: "Unknown agent" }]);
    if (agent.status === "retired") throw new BadRequestError("Agent is retired", [{ field: input.field, message: "Agent is retired" }]);
    return { agent, created: false };
  }
  return { agent: await createAgent(db, { ...input.create, organizationId: input.organizationId, createdById: input.createdById }), created: true };
}

/** Detail for GET /api/v1/agents/{id}: the agent, its signers (with their API keys by prefix) and pairings. */
export async function agentDetail(db: DbOrTx, organizationId: string, id: string) {
  const a = await getAgentRow(db, organizationId, id);
  const signers = await db.signer.findMany({ where: { agentId: id, organizationId, deletedAt: null }, orderBy: { createdAt: "asc" } });
  const credentials = signers.length
    ? await db.credential.findMany({ where: { subjectType: "signer", subjectId: { in: signers.map((s) => s.id) }, revokedAt: null }, orderBy: { createdAt: "desc" } })
    : [];
  const pairings = await db.approvalAgent.findMany({ where: { agentRecordId: id, organizationId }, orderBy: { createdAt: "asc" } });
  return { agent: a, view: await viewOf(db, a), signers, credentials, pairings };
}
