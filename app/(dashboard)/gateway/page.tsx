import type { Metadata } from "next";
import { GatewayDashboard } from "@/components/gateway/gateway-dashboard";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Gateway" };

export default async function GatewayPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSession("/gateway");
  const { agent } = await searchParams;
  return (
    <>
      <PageHeader
        title="Gateway"
        description="Every tool call your agents make, checked against tool policies, rules and each agent's own history: allowed, blocked, or held for you."
      />
      <GatewayDashboard initialAgent={typeof agent === "string" ? agent.slice(0, 128) : ""} />
    </>
  );
}
