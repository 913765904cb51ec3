import type { ReactNode } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { loadSession } from "@/components/session/require-session";
import { isInstanceAdmin } from "@/lib/auth/instance-admin";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const session = await loadSession();
  return (
    <>
      <PageHeader title="Settings" description="Your account, your organization's members and its API keys." />
      <SettingsTabs instanceAdmin={session ? isInstanceAdmin(session.user) : false} />
      {children}
    </>
  );
}
