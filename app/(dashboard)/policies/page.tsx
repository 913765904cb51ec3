import type { Metadata } from "next";
import { UpcomingArea } from "@/components/dashboard/upcoming-area";
import { ShieldIcon } from "@/components/icons";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  await requireSession("/policies");
  return (
    <UpcomingArea
      title="Policies"
      summary="Guardrails checked before Countersign adds its share of a signature."
      icon={<ShieldIcon className="size-5" />}
      emptyTitle="Your policies will appear here"
      points={[
        "Spending limits per transaction and per day, allowed recipients, contracts and networks.",
        "Rules can block a request outright or route it to a human for approval.",
        "Every change to a policy is versioned and recorded in the audit log.",
      ]}
    />
  );
}
