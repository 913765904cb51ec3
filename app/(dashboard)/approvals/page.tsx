import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals/approvals-inbox";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const session = await requireSession("/approvals");
  return (
    <>
      <PageHeader title="Approvals" description="Requests from agents that a guardrail sent to a human before they can be signed. Nothing is signed until someone approves." />
      <ApprovalsInbox organizationId={session.organization.id} role={session.organization.role} />
    </>
  );
}
