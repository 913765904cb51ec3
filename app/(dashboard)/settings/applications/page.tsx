import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ApplicationsPanel } from "@/components/settings/applications-panel";
import { requireSession } from "@/components/session/require-session";
import { isInstanceAdmin } from "@/lib/auth/instance-admin";

export const metadata: Metadata = { title: "Operator applications" };

/** Instance administrators only (INSTANCE_ADMIN_EMAILS); anyone else gets the ordinary 404. */
export default async function ApplicationsSettingsPage() {
  const session = await requireSession("/settings/applications");
  if (!isInstanceAdmin(session.user)) notFound();
  return <ApplicationsPanel />;
}
