"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { useApiKeyScopes } from "../api/hooks";
import type { CreatedApiKey } from "../api/types";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Skeleton } from "../ui/skeleton";
import { EXPIRY_OPTIONS, buildCreateApiKeyInput, type CreateApiKeyErrors, type ExpiryChoice } from "./api-key-status";

export function CreateApiKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (created: CreatedApiKey) => void }) {
  const scopes = useApiKeyScopes();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const [errors, setErrors] = useState<CreateApiKeyErrors>({});

  const create = useMutation({
    mutationFn: (body: unknown) => api.post<CreatedApiKey>("/api/v1/api-keys", body),
    // The result holds the secret: drop it from the mutation cache as soon as this dialog unmounts.
    gcTime: 0,
    onSuccess: onCreated,
  });

  function toggle(scope: string, checked: boolean) {
    setSelected((current) => (checked ? [...current, scope] : current.filter((item) => item !== scope)));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { input, errors: found } = buildCreateApiKeyInput(name, selected, expiry);
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate(input);
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title="Create API key"
      description="API keys let your services call Countersign on behalf of this organization."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="create-api-key" loading={create.isPending}>
            Create key
          </Button>
        </>
      }
    >
      <form id="create-api-key" noValidate onSubmit={submit} className="space-y-5">
        <Field label="Name" error={errors.name} hint="For example “Payments backend (prod)”.">
          {(control) => <Input {...control} value={name} maxLength={64} onChange={(event) => setName(event.target.value)} data-autofocus />}
        </Field>
        <fieldset aria-describedby={errors.scopes ? "api-key-scopes-error" : undefined}>
          <legend className="text-sm font-medium text-fg">Scopes</legend>
          <p className="mt-0.5 text-xs text-fg-muted">Grant only what the service needs.</p>
          <div className="mt-2 space-y-1">
            {scopes.isPending ? (
              <div className="space-y-2" role="status" aria-label="Loading scopes">
                <Skeleton className="h-9" />
                <Skeleton className="h-9" />
              </div>
            ) : null}
            {scopes.isError ? (
              <p role="alert" className="text-sm text-danger-soft-fg">
                {describeError(scopes.error)}
              </p>
            ) : null}
            {scopes.data?.map((scope) => (
              <label key={scope.id} className="flex cursor-pointer items-start gap-3 rounded-lg border border-border px-3 py-2 hover:bg-surface-muted">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-[var(--accent)]"
                  checked={selected.includes(scope.id)}
                  onChange={(event) => toggle(scope.id, event.target.checked)}
                />
                <span className="min-w-0">
                  <code className="block font-mono text-xs font-semibold text-fg">{scope.id}</code>
                  <span className="block text-xs text-fg-muted">{scope.description}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.scopes ? (
            <p id="api-key-scopes-error" className="mt-1.5 text-xs font-medium text-danger-soft-fg">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <Field label="Expires after">
          {(control) => (
            <Select {...control} options={EXPIRY_OPTIONS} value={expiry} onChange={(event) => setExpiry(event.target.value as ExpiryChoice)} />
          )}
        </Field>
        {create.isError ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            {describeError(create.error)}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
