"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import { usePasskeys } from "../api/hooks";
import { queryKeys } from "../api/query-keys";
import type { Passkey } from "../api/types";
import { browserPasskeyDeps } from "../auth/browser-ceremonies";
import { authErrorMessage } from "../auth/error-message";
import { addPasskey } from "../auth/passkey-flows";
import { formatDate, formatRelative } from "../format/dates";
import { FingerprintIcon, PencilIcon, PlusIcon, TrashIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { TBody, Table, Td, Tr } from "../ui/table";
import { TableHeader } from "../ui/table-header";
import { useToast } from "../ui/toast";
import { QueryView } from "../ui/query-view";

function NameDialog({
  open,
  title,
  description,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  description: string;
  initial: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: (name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const formId = `passkey-name-${title.replace(/\W+/g, "-").toLowerCase()}`;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(name.trim());
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={pending}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-3">
        <Field label="Passkey name" hint="Something you will recognise, like “Work laptop”.">
          {(control) => (
            <Input {...control} value={name} maxLength={60} onChange={(event) => setName(event.target.value)} data-autofocus />
          )}
        </Field>
        {error ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            {error}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}

function deviceLabel(passkey: Passkey): string {
  if (passkey.deviceType === "multiDevice") return passkey.backedUp ? "Synced" : "Multi-device";
  return "This device only";
}

export function PasskeysPanel() {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const passkeys = usePasskeys();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.passkeys });

  const add = useMutation({
    mutationFn: (name: string) => addPasskey(name || undefined, browserPasskeyDeps),
    onSuccess: async (passkey) => {
      setAdding(false);
      await refresh();
      toast({ title: "Passkey added", description: passkey.name, tone: "success" });
    },
  });

  const rename = useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => api.patch(`/api/v1/passkeys/${encodeURIComponent(id)}`, { name }),
    onSuccess: async () => {
      setRenaming(null);
      await refresh();
      toast({ title: "Passkey renamed", tone: "success" });
    },
  });

  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/passkeys/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      setRemoving(null);
      await refresh();
      toast({ title: "Passkey removed", tone: "success" });
    },
  });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Passkeys</CardTitle>
          <CardDescription>Passkeys sign you in and confirm approvals. Keep at least two, on different devices.</CardDescription>
        </div>
        <Button
          variant="secondary"
          size="sm"
          icon={<PlusIcon />}
          onClick={() => {
            add.reset();
            setAdding(true);
          }}
        >
          Add passkey
        </Button>
      </CardHeader>
      <div className="p-4 sm:p-5">
        <QueryView
          query={passkeys}
          loading="Loading passkeys"
          empty={
            <EmptyState
              icon={<FingerprintIcon className="size-5" />}
              title="No passkeys"
              description="You signed in with a wallet. Add a passkey to approve requests from any device."
            />
          }
        >
          {(data) => (
            <Table aria-label="Passkeys">
              <TableHeader columns={["Name", "Type", "Added", "Last used"]} />
              <TBody>
                {data.map((passkey) => (
                  <Tr key={passkey.id}>
                    <Td label="Name" className="font-medium text-fg">
                      {passkey.name}
                    </Td>
                    <Td label="Type">
                      <Badge tone={passkey.backedUp ? "accent" : "neutral"}>{deviceLabel(passkey)}</Badge>
                    </Td>
                    <Td label="Added" className="text-fg-muted">
                      {formatDate(passkey.createdAt)}
                    </Td>
                    <Td label="Last used" className="text-fg-muted">
                      {passkey.lastUsedAt ? formatRelative(passkey.lastUsedAt) : "Never"}
                    </Td>
                    <Td label="Actions" className="sm:text-right">
                      <div className="flex justify-end gap-1">
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Rename ${passkey.name}`}
                          icon={<PencilIcon />}
                          onClick={() => {
                            rename.reset();
                            setRenaming(passkey);
                          }}
                        />
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Remove ${passkey.name}`}
                          icon={<TrashIcon />}
                          onClick={() => {
                            remove.reset();
                            setRemoving(passkey);
                          }}
                        />
                      </div>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </div>

      {adding ? (
        <NameDialog
          open
          title="Add a passkey"
          description="Name it, then follow your browser's prompt to create it on this device or a security key."
          initial=""
          submitLabel="Create passkey"
          pending={add.isPending}
          error={add.isError ? authErrorMessage(add.error) : null}
          onSubmit={(name) => add.mutate(name)}
          onClose={() => setAdding(false)}
        />
      ) : null}
      {renaming ? (
        <NameDialog
          open
          title="Rename passkey"
          description="The new name is only shown to you."
          initial={renaming.name}
          submitLabel="Save"
          pending={rename.isPending}
          error={rename.isError ? describeError(rename.error) : null}
          onSubmit={(name) => rename.mutate({ id: renaming.id, name })}
          onClose={() => setRenaming(null)}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title="Remove passkey?"
        description={
          <>
            <span className="font-medium text-fg">{removing?.name}</span> will no longer sign you in or approve requests.
          </>
        }
        confirmLabel="Remove passkey"
        pending={remove.isPending}
        error={
          remove.isError
            ? remove.error instanceof ApiError && remove.error.statusCode === 409
              ? "This is your only passkey. Add another one before removing it."
              : describeError(remove.error)
            : null
        }
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
