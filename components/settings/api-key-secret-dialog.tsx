"use client";

import { AlertIcon } from "../icons";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog } from "../ui/dialog";

/** Shows a freshly created secret exactly once; closing the dialog drops it from memory and the page. */
export function ApiKeySecretDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      closeOnBackdrop={false}
      title="Copy your new API key"
      description={
        <>
          Key <span className="font-medium text-fg">{name}</span> was created.
        </>
      }
      footer={<Button onClick={onClose}>I have stored the key</Button>}
    >
      <div className="space-y-4">
        <div className="flex items-start gap-3 rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg">
          <AlertIcon className="mt-0.5 size-5 shrink-0" />
          <p>
            <span className="font-semibold">This is the only time the secret is shown.</span> Store it in your secret manager now. If you
            lose it, revoke the key and create a new one.
          </p>
        </div>
        <div className="rounded-lg border border-border bg-surface-muted p-3">
          <code data-testid="api-key-secret" className="block font-mono text-sm break-all text-fg select-all">
            {secret}
          </code>
        </div>
        <CopyButton value={secret} label="Copy key" variant="primary" size="md" className="w-full" />
      </div>
    </Dialog>
  );
}
