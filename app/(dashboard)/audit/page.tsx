import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLog } from "@/components/audit/audit-log";
import { TransparencyLogPanel } from "@/components/audit/transparency-log";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { SkeletonBlock } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const session = await requireSession("/audit");
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Every sign-in, key, membership, policy change and signing decision in ${session.organization.name}, newest first. Entries cannot be edited or deleted.`}
      />
      <div className="space-y-6">
        <TransparencyLogPanel />
        <Suspense fallback={<SkeletonBlock lines={8} label="Loading audit log" />}>
          <AuditLog organizationId={session.organization.id} />
        </Suspense>
      </div>
    </>
  );
}
