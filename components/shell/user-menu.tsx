"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import type { SessionUser } from "../api/types";
import { LogOutIcon, SettingsIcon } from "../icons";
import { Menu } from "../ui/menu";
import { useToast } from "../ui/toast";
import { displayName, initials } from "./user-display";

export function UserMenu({ user }: { user: SessionUser }) {
  const router = useRouter();
  const { toast } = useToast();
  const [signingOut, setSigningOut] = useState(false);
  const name = displayName(user);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.post("/api/v1/auth/logout");
      // A full navigation drops every cached query of the old session.
      window.location.assign("/sign-in");
    } catch (error) {
      setSigningOut(false);
      toast({ title: "Could not sign out", description: describeError(error), tone: "error" });
    }
  }

  return (
    <Menu
      label={`Account: ${name}`}
      side="top"
      items={[
        { key: "settings", label: "Settings", icon: <SettingsIcon />, onSelect: () => router.push("/settings") },
        { key: "sign-out", label: signingOut ? "Signing out…" : "Sign out", icon: <LogOutIcon />, onSelect: signOut, tone: "danger" },
      ]}
      header={
        <div className="min-w-0">
          <p className="truncate text-sm font-medium text-fg">{name}</p>
          {user.email ? <p className="truncate text-xs text-fg-muted">{user.email}</p> : null}
        </div>
      }
      triggerClassName="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-surface-muted"
      trigger={
        <>
          <span
            aria-hidden="true"
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-fg"
          >
            {initials(user)}
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium text-fg">{name}</span>
            {user.email ? <span className="block truncate text-xs text-fg-muted">{user.email}</span> : null}
          </span>
        </>
      }
      className="min-w-0 flex-1"
    />
  );
}
