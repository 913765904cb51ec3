"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import type { OrganizationSummary } from "../api/types";
import { ORGANIZATION_NAME_MAX, validateOrganizationName } from "../forms/organization-name";
import { roleLabel } from "../shell/role-label";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { useToast } from "../ui/toast";

export function OrganizationPanel({ current, organizations }: { current: OrganizationSummary; organizations: readonly OrganizationSummary[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);

  const switchTo = useMutation({
    mutationFn: (organizationId: string) => api.post("/api/v1/auth/switch-organization", { organizationId }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.refresh();
    },
    onError: (error) => toast({ title: "Could not switch organization", description: describeError(error), tone: "error" }),
  });

  const create = useMutation({
    mutationFn: (orgName: string) => api.post<{ organization: OrganizationSummary }>("/api/v1/organizations", { name: orgName }),
    onSuccess: ({ organization }) => {
      setName("");
      toast({ title: "Organization created", description: `Switching to ${organization.name}.`, tone: "success" });
      switchTo.mutate(organization.id);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const error = validateOrganizationName(name);
    setNameError(error);
    if (!error) create.mutate(name.trim());
  }

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Your organizations</CardTitle>
            <CardDescription>Signers, policies, keys and the audit log belong to one organization.</CardDescription>
          </div>
        </CardHeader>
        <ul className="divide-y divide-border">
          {organizations.map((organization) => (
            <li key={organization.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium text-fg">{organization.name}</span>
                <span className="text-xs text-fg-muted">{roleLabel(organization.role)}</span>
              </span>
              {organization.id === current.id ? (
                <Badge tone="accent">Current</Badge>
              ) : (
                <Button
                  variant="secondary"
                  size="sm"
                  loading={switchTo.isPending && switchTo.variables === organization.id}
                  onClick={() => switchTo.mutate(organization.id)}
                >
                  Switch
                </Button>
              )}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Create an organization</CardTitle>
            <CardDescription>For a separate team, client or environment. You become its owner.</CardDescription>
          </div>
        </CardHeader>
        <CardBody>
          <form noValidate onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <Field label="Organization name" error={nameError} className="flex-1">
              {(control) => <Input {...control} value={name} maxLength={ORGANIZATION_NAME_MAX} onChange={(event) => setName(event.target.value)} placeholder="Acme Treasury" />}
            </Field>
            <Button type="submit" loading={create.isPending || switchTo.isPending} className="sm:mt-7">
              Create organization
            </Button>
          </form>
          {create.isError ? (
            <p role="alert" className="mt-3 text-sm text-danger-soft-fg">
              {describeError(create.error)}
            </p>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
