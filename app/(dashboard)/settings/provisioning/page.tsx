import type { Metadata } from "next";
import { ProvisioningPanel } from "@/components/settings/provisioning-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Provisioning" };

export default async function ProvisioningSettingsPage() {
  const session = await requireSession("/settings/provisioning");
  if (session.organization.role !== "owner") return <p className="text-sm text-fg-muted">Only an owner of the organization manages SCIM provisioning.</p>;
  return <ProvisioningPanel />;
}
