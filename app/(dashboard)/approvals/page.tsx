import type { Metadata } from "next";
import { UpcomingArea } from "@/components/dashboard/upcoming-area";
import { CheckCircleIcon } from "@/components/icons";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireSession("/approvals");
  return (
    <UpcomingArea
      title="Approvals"
      summary="Requests from agents that a policy sent to a human before they can be signed."
      icon={<CheckCircleIcon className="size-5" />}
      emptyTitle="Approval requests will appear here"
      points={[
        "Each request shows what the agent wants to do in plain language, decoded from the transaction.",
        "Approvers confirm with their passkey; a rejected request is never signed.",
        "Requests expire on their own if nobody answers in time.",
      ]}
    />
  );
}
