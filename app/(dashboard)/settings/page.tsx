import type { Metadata } from "next";
import { AccountCard } from "@/components/settings/account-card";
import { PasskeysPanel } from "@/components/settings/passkeys-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Account settings" };

export default async function AccountSettingsPage() {
  const session = await requireSession("/settings");
  return (
    <div className="space-y-6">
      <AccountCard user={session.user} />
      <PasskeysPanel />
    </div>
  );
}
