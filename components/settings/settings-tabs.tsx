"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";

export const SETTINGS_TABS = [
  { href: "/settings", label: "Account & passkeys" },
  { href: "/settings/members", label: "Members" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/devices", label: "Devices" },
  { href: "/settings/clear-signing", label: "Clear signing" },
  { href: "/settings/organization", label: "Organization" },
  { href: "/settings/provisioning", label: "Provisioning" },
  { href: "/settings/billing", label: "Billing" },
] as const;

/** Instance administrators (lib/auth/instance-admin.ts) also review seed 001 operator applications. */
export const ADMIN_TABS = [{ href: "/settings/applications", label: "Applications" }] as const;

export function SettingsTabs({ instanceAdmin = false }: { instanceAdmin?: boolean }) {
  const pathname = usePathname();
  const tabs = instanceAdmin ? [...SETTINGS_TABS, ...ADMIN_TABS] : SETTINGS_TABS;
  return (
    <nav aria-label="Settings sections" className="-mx-4 mb-6 overflow-x-auto border-b border-border px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1">
        {tabs.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px block border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "border-accent text-fg" : "border-transparent text-fg-muted hover:border-border-strong hover:text-fg",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
