import { getAgent as getContract, retireAgent as retireContract, updateAgent as updateContract } from "@/lib/api/agents";
import { agentDetail, updateAgent, viewOf } from "@/lib/agents/registry";
import { retireAgent } from "@/lib/agents/kill-switch";
import { assertActsAs } from "@/lib/agents/tokens/tokens";
import { recordAudit } from "@/lib/audit/record";
import { agentToolCalls } from "@/lib/gateway/agent-tools";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { listSigningRequests } from "@/lib/signing/approvals";
import { publicSigner } from "@/lib/signing/signers";
import { trustSummary } from "@/lib/trust/store";

export const GET = handle(getContract, async ({ params, principal }) => {
  // An agent token reads its own agent only.
  assertActsAs(principal, params.id);
  const organizationId = orgOf(principal);
  const d = await agentDetail(db(), organizationId, params.id);
  const decisions = await listSigningRequests(db(), { organizationId, agentId: params.id, cursor: null, limit: 20 });
  return {
    status: 200,
    body: {
      agent: d.view,
      signers: d.signers.map(publicSigner),
      credentials: d.credentials.map((c) => ({ id: c.id, signerId: c.subjectId!, name: c.name, prefix: c.prefix, createdAt: c.createdAt.toISOString(), lastUsedAt: c.lastUsedAt?.toISOString() ?? null, expiresAt: c.expiresAt?.toISOString() ?? null })),
      pairings: d.pairings.map((p) => ({ id: p.id, agentAddress: p.address, executionMode: p.mode, chainId: p.chainId, safeAddress: p.safeAddress, signerId: p.signerId, createdAt: p.createdAt.toISOString() })),
      recentDecisions: decisions.items,
      toolCalls: await agentToolCalls(db(), organizationId, d.view.id),
      trustScore: await trustSummary(db(), params.id),
    },
  };
});

export const PATCH = handle(updateContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const agent = await db().$transaction(async (tx) => {
    const a = await updateAgent(tx, organizationId, params.id, body);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "agent.updated", resourceType: "agent", resourceId: a.id, details: { changes: body }, context: ctx });
    return a;
  });
  return { status: 200, body: { agent: await viewOf(db(), agent) } };
});

export const DELETE = handle(retireContract, async ({ params, principal, ctx }) => {
  const { agent } = await retireAgent(db(), { organizationId: orgOf(principal), id: params.id, actor: actorOf(principal), context: ctx });
  return { status: 200, body: { agent: await viewOf(db(), agent) } };
});
