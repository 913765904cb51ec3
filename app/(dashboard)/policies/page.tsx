import type { Metadata } from "next";
import { PoliciesOverview } from "@/components/policies/policies-overview";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const session = await requireSession("/policies");
  return (
    <>
      <PageHeader
        title="Policies"
        description="Guardrails checked before Countersign adds its share of a signature: built-in limits and allow-lists, plus a versioned rules document per signer."
      />
      <PoliciesOverview organizationId={session.organization.id} />
    </>
  );
}
