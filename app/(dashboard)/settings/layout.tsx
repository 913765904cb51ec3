import type { ReactNode } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your account, your organization's members and its API keys." />
      <SettingsTabs />
      {children}
    </>
  );
}
