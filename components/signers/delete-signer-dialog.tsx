"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";

/** Deleting wipes key shares for good, so the user types the signer's name to confirm. */
export function DeleteSignerDialog({
  signerName,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  signerName: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const matches = typed.trim() === signerName;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Delete signer?"
      description={
        <>
          This wipes the server share, your recovery share and the API key of{" "}
          <span className="font-medium text-fg">{signerName}</span>. Funds left at its address can no longer be moved. This cannot be undone.
        </>
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button variant="danger" onClick={onConfirm} disabled={!matches} loading={pending}>
            Delete signer
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) onConfirm();
        }}
        className="space-y-3"
      >
        <Field label={`Type ${signerName} to confirm`}>
          {(control) => <Input {...control} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" data-autofocus />}
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
