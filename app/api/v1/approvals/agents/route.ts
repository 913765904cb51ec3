import { listAgents as listContract, pairAgent as pairContract } from "@/lib/api/approvals";
import { listAgents, pairAgent } from "@/lib/approvals/agents";
import { providerKeyAddress } from "@/lib/approvals/provider-key";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";

type AgentRow = { id: string; address: string; mode: string; chainId: number; safeAddress: string | null; signerId: string | null; agentRecordId: string | null; createdAt: Date };
const view = (a: AgentRow, providerAddress: string) => ({
  id: a.id,
  agentAddress: a.address,
  executionMode: a.mode as "safe" | "relay",
  chainId: a.chainId,
  safeAddress: a.safeAddress,
  signerId: a.signerId,
  agentRecordId: a.agentRecordId,
  providerAddress,
  createdAt: a.createdAt.toISOString(),
});

export const POST = handle(pairContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const { agent, providerAddress, token, agentRecord } = await pairAgent(db(), { organizationId, createdById: userOf(principal).userId, agentAddress: body.agentAddress, mode: body.mode, chainId: body.chainId, signerId: body.signerId, agentId: body.agentId });
  await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "approvals.agent_paired", resourceType: "approval_agent", resourceId: agent.id, details: { agentAddress: agent.address, mode: agent.mode, safeAddress: agent.safeAddress, chainId: agent.chainId, agentRecordId: agentRecord.id }, context: ctx });
  if (agentRecord.created) {
    await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "agent.created", resourceType: "agent", resourceId: agentRecord.id, details: { name: agentRecord.name, forPairing: agent.id }, context: ctx });
  }
  return { status: 201, body: { agent: view(agent, providerAddress), token } };
});

export const GET = handle(listContract, async ({ principal }) => {
  const organizationId = orgOf(principal);
  const providerAddress = await providerKeyAddress(db(), organizationId);
  return { status: 200, body: { agents: (await listAgents(db(), organizationId)).map((a) => view(a, providerAddress)) } };
});
