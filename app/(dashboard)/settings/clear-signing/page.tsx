import type { Metadata } from "next";
import { ClearSigningPanel } from "@/components/clearsign/clear-signing-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Clear signing" };

export default async function ClearSigningSettingsPage() {
  const session = await requireSession("/settings/clear-signing");
  return <ClearSigningPanel role={session.organization.role} />;
}
