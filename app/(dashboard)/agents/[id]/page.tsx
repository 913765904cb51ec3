import type { Metadata } from "next";
import { AgentDetailView } from "@/components/agents/agent-detail";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/agents/${encodeURIComponent(id)}`);
  return <AgentDetailView organizationId={session.organization.id} agentId={id} role={session.organization.role} />;
}
