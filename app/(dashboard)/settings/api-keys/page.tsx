import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysSettingsPage() {
  const session = await requireSession("/settings/api-keys");
  return <ApiKeysPanel organizationId={session.organization.id} role={session.organization.role} />;
}
