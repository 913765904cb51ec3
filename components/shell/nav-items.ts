import type { ComponentType, SVGProps } from "react";
import {
  BotIcon,
  CheckCircleIcon,
  GatewayIcon,
  HomeIcon,
  KeyIcon,
  ListIcon,
  SettingsIcon,
  ShieldIcon,
} from "../icons";

export interface NavItem {
  href: string;
  label: string;
  Icon: ComponentType<SVGProps<SVGSVGElement>>;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", Icon: HomeIcon },
  { href: "/signers", label: "Signers", Icon: KeyIcon },
  { href: "/approvals", label: "Approvals", Icon: CheckCircleIcon },
  { href: "/policies", label: "Policies", Icon: ShieldIcon },
  { href: "/agents", label: "Agents", Icon: BotIcon },
  { href: "/gateway", label: "Gateway", Icon: GatewayIcon },
  { href: "/audit", label: "Audit", Icon: ListIcon },
  { href: "/settings", label: "Settings", Icon: SettingsIcon },
];

/** A nav item is current on its own path and on any path below it ("/" only matches itself). */
export function isNavItemActive(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
