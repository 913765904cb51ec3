import type { Metadata } from "next";
import Link from "next/link";
import { AgentsList } from "@/components/agents/agents-list";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const session = await requireSession("/agents");
  return (
    <>
      <PageHeader
        title="Agents"
        description="The AI agents that act for your organization: one record across their signers, approval pairings, gateway, trust score and identity. Pausing one stops all of it."
        actions={
          <Link href="/identity/demo" className="text-sm font-medium text-accent-soft-fg underline-offset-4 hover:underline">
            Agent identity demo
          </Link>
        }
      />
      <AgentsList organizationId={session.organization.id} role={session.organization.role} />
    </>
  );
}
