"use client";

import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import type { OrganizationSummary } from "../api/types";
import { BuildingIcon, ChevronUpDownIcon, PlusIcon } from "../icons";
import { Menu, type MenuItem } from "../ui/menu";
import { useToast } from "../ui/toast";
import { roleLabel } from "./role-label";

export interface OrgSwitcherProps {
  current: OrganizationSummary;
  organizations: readonly OrganizationSummary[];
}

export function OrgSwitcher({ current, organizations }: OrgSwitcherProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();

  const switchOrganization = useMutation({
    mutationFn: (organizationId: string) => api.post("/api/v1/auth/switch-organization", { organizationId }),
    onSuccess: async (_data, organizationId) => {
      const next = organizations.find((organization) => organization.id === organizationId);
      await queryClient.invalidateQueries();
      router.refresh();
      if (next) toast({ title: `Switched to ${next.name}`, tone: "success" });
    },
    onError: (error) => toast({ title: "Could not switch organization", description: describeError(error), tone: "error" }),
  });

  const items: MenuItem[] = [
    ...organizations.map((organization) => ({
      key: organization.id,
      label: `${organization.name} · ${roleLabel(organization.role)}`,
      checked: organization.id === current.id,
      onSelect: () => {
        if (organization.id !== current.id) switchOrganization.mutate(organization.id);
      },
    })),
    {
      key: "create",
      label: "Create organization",
      icon: <PlusIcon />,
      onSelect: () => router.push("/settings/organization"),
    },
  ];

  return (
    <Menu
      label={`Organization: ${current.name}. Switch organization`}
      items={items}
      triggerClassName="flex w-full items-center gap-3 rounded-lg border border-border bg-surface px-3 py-2 text-left shadow-card hover:bg-surface-muted"
      trigger={
        <>
          <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-soft-fg">
            <BuildingIcon />
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-semibold text-fg">{current.name}</span>
            <span className="block text-xs text-fg-muted">{roleLabel(current.role)}</span>
          </span>
          <ChevronUpDownIcon className="size-4 text-fg-muted" />
        </>
      }
      className="w-full"
    />
  );
}
