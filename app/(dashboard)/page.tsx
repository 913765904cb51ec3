import type { Metadata } from "next";
import { NextSteps } from "@/components/dashboard/next-steps";
import { OverviewCards } from "@/components/dashboard/overview-cards";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { displayName } from "@/components/shell/user-display";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const session = await requireSession("/");
  return (
    <>
      <PageHeader title={`Welcome, ${displayName(session.user)}`} description={`Here is what is happening in ${session.organization.name}.`} />
      <div className="space-y-6">
        <OverviewCards organizationId={session.organization.id} />
        <NextSteps />
      </div>
    </>
  );
}
