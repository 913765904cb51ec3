import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals/approvals-inbox";
import { PendingToolCalls } from "@/components/gateway/gateway-dashboard";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const session = await requireSession("/approvals");
  return (
    <>
      <PageHeader title="Approvals" description="Everything that waits for a human: agent requests (open one to read it and decide with your passkey) and signatures a guardrail parked. Nothing moves until someone approves." />
      <div className="space-y-8">
        <PendingToolCalls canDecide={session.organization.role !== "viewer"} />
        <ApprovalsInbox organizationId={session.organization.id} role={session.organization.role} />
      </div>
    </>
  );
}
