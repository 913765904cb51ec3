/**
 * Per-agent tool allow-lists (I/O): stored on the agent (`agents.tool_allow_list`, JSON array or
 * NULL), read by /check with the agent itself (checks.ts `resolveAgent`) and by the MCP proxy
 * (GET /api/v1/gateway/agents/{id}/tools), written by an administrator (PUT, audited as
 * gateway.agent_tools.updated). Matching is allow-list.ts (pure).
 */
import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { NotFoundError } from "@/lib/http/errors";
import { allowListOf, normalizeAllowList } from "./allow-list";
import { resolveAgent } from "./checks";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AgentToolsView = { agent_id: string; agent: { id: string; name: string }; allowed_tools: string[] | null };

const select = { id: true, name: true, aegisAgentId: true, toolAllowList: true } as const;

function viewOf(a: { id: string; name: string; aegisAgentId: string | null; toolAllowList: unknown }): AgentToolsView {
  return { agent_id: a.aegisAgentId ?? a.id, agent: { id: a.id, name: a.name }, allowed_tools: allowListOf(a.toolAllowList) };
}

/** The allow-list of an agent named by its seed 002 agent_id or registry id; an agent token reads its own only. */
export async function getAgentTools(db: DbOrTx, organizationId: string, agentRef: string, tokenAgentId: string | null): Promise<AgentToolsView> {
  let agent = await db.agent.findFirst({ where: { organizationId, aegisAgentId: agentRef }, select });
  if (!agent && UUID.test(agentRef)) agent = await db.agent.findFirst({ where: { organizationId, id: agentRef }, select });
  if (!agent || (tokenAgentId !== null && agent.id !== tokenAgentId)) throw new NotFoundError("Agent not found");
  return viewOf(agent);
}

/**
 * Replaces an agent's allow-list (null removes it: every tool allowed). An agent_id the organization
 * has not seen yet is registered, as /check would, so a list can be set before the agent's first call.
 */
export async function setAgentTools(db: DbOrTx, input: { organizationId: string; agentRef: string; allowedTools: string[] | null; actor: AuditActor; context?: AuditContext }): Promise<AgentToolsView> {
  const agent = await resolveAgent(db, input.organizationId, input.agentRef, null);
  const before = allowListOf(agent.toolAllowList);
  const next = normalizeAllowList(input.allowedTools);
  const row = await db.agent.update({ where: { id: agent.id }, data: { toolAllowList: next === null ? Prisma.DbNull : next }, select });
  await recordAudit(db, { organizationId: input.organizationId, actor: input.actor, action: "gateway.agent_tools.updated", resourceType: "agent", resourceId: agent.id, details: { before, after: next }, context: input.context });
  return viewOf(row);
}

export type AgentToolCalls = {
  allowedTools: string[] | null;
  recent: { checkId: string; toolName: string; decision: "allow" | "block" | "pending"; riskLevel: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL"; policyName: string; decidedBy: string | null; createdAt: string }[];
};

/** The agent page's gateway section: its allow-list and latest checks (a pending check past its expiry shows as block). */
export async function agentToolCalls(db: DbOrTx, organizationId: string, agentId: string, limit = 10): Promise<AgentToolCalls> {
  const [agent, rows] = await Promise.all([
    db.agent.findFirst({ where: { organizationId, id: agentId }, select: { toolAllowList: true } }),
    db.gatewayCheck.findMany({ where: { organizationId, agentId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit, select: { id: true, toolName: true, decision: true, riskLevel: true, policyName: true, decidedBy: true, expiresAt: true, createdAt: true } }),
  ]);
  const now = new Date();
  return {
    allowedTools: allowListOf(agent?.toolAllowList),
    recent: rows.map((r) => {
      const expired = r.decision === "pending" && r.expiresAt !== null && r.expiresAt <= now;
      return { checkId: r.id, toolName: r.toolName, decision: (expired ? "block" : r.decision) as "allow" | "block" | "pending", riskLevel: r.riskLevel as "LOW", policyName: r.policyName, decidedBy: expired ? "expired" : r.decidedBy, createdAt: r.createdAt.toISOString() };
    }),
  };
}
