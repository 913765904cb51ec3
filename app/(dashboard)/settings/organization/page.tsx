import type { Metadata } from "next";
import { OrganizationPanel } from "@/components/settings/organization-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const session = await requireSession("/settings/organization");
  return <OrganizationPanel current={session.organization} organizations={session.organizations} />;
}
