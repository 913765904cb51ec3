import type { Metadata } from "next";
import { UpcomingArea } from "@/components/dashboard/upcoming-area";
import { GatewayIcon } from "@/components/icons";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Gateway" };

export default async function GatewayPage() {
  await requireSession("/gateway");
  return (
    <UpcomingArea
      title="Gateway"
      summary="The tool-call gateway that sits between your agents and dangerous tools."
      icon={<GatewayIcon className="size-5" />}
      emptyTitle="Gateway traffic will appear here"
      points={[
        "Route an agent's tool calls through Countersign so policies apply to them too.",
        "Each call is checked, logged and, where a rule says so, held for approval.",
        "Traffic and decisions per tool will be summarised here.",
      ]}
    />
  );
}
