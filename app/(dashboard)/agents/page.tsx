import type { Metadata } from "next";
import { UpcomingArea } from "@/components/dashboard/upcoming-area";
import { BotIcon } from "@/components/icons";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  await requireSession("/agents");
  return (
    <UpcomingArea
      title="Agents"
      summary="The AI agents that act on behalf of your organization."
      icon={<BotIcon className="size-5" />}
      emptyTitle="Your agents will appear here"
      points={[
        "Register an agent to give it a signer, a policy and its own credentials.",
        "See what each agent asked to do recently and how its requests were decided.",
        "Pause an agent instantly; its pending requests stop with it.",
      ]}
    />
  );
}
