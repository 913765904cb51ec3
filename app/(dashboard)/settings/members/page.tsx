import type { Metadata } from "next";
import { MembersPanel } from "@/components/settings/members-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersSettingsPage() {
  const session = await requireSession("/settings/members");
  return <MembersPanel organizationId={session.organization.id} currentUserId={session.user.id} currentRole={session.organization.role} />;
}
