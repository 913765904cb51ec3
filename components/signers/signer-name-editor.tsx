"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { auditLogPrefix, signerKeys, signerPath, type Signer } from "../api/signers";
import { PencilIcon } from "../icons";
import { Button } from "../ui/button";
import { Input } from "../ui/input";

/** The signer's name as the page heading; managers can rename it in place (PATCH). */
export function SignerNameEditor({ organizationId, signer, canManage }: { organizationId: string; signer: Signer; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(signer.name);
  const rename = useMutation({
    mutationFn: (name: string) => api.patch<{ signer: Signer }>(signerPath(signer.id), { name }).then((body) => body.signer),
    onSuccess: async (updated) => {
      queryClient.setQueryData(signerKeys.detail(organizationId, signer.id), updated);
      setEditing(false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: signerKeys.list(organizationId) }),
        queryClient.invalidateQueries({ queryKey: auditLogPrefix }),
      ]);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = draft.trim();
    if (name === "" || name === signer.name) {
      setEditing(false);
      return;
    }
    rename.mutate(name);
  }

  if (!editing) {
    return (
      <div className="flex min-w-0 items-center gap-2">
        <h1 className="truncate text-2xl font-semibold tracking-tight text-fg">{signer.name}</h1>
        {canManage ? (
          <Button
            variant="ghost"
            size="sm"
            icon={<PencilIcon />}
            aria-label="Rename signer"
            onClick={() => {
              setDraft(signer.name);
              rename.reset();
              setEditing(true);
            }}
          />
        ) : null}
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2" aria-label="Rename signer">
      <h1 className="sr-only">{signer.name}</h1>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="signer-name" className="sr-only">
          Signer name
        </label>
        <Input
          id="signer-name"
          value={draft}
          maxLength={100}
          autoFocus
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setEditing(false);
          }}
          className="max-w-xs"
        />
        <Button type="submit" size="sm" loading={rename.isPending}>
          Save
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setEditing(false)} disabled={rename.isPending}>
          Cancel
        </Button>
      </div>
      {rename.isError ? (
        <p role="alert" className="text-sm text-danger-soft-fg">
          {describeError(rename.error)}
        </p>
      ) : null}
    </form>
  );
}
