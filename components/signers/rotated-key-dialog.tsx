"use client";

import { AlertIcon } from "../icons";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog } from "../ui/dialog";

/** Shows the rotated signer key once; closing drops it from memory. */
export function RotatedKeyDialog({ signerName, secret, onClose }: { signerName: string; secret: string; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      closeOnBackdrop={false}
      title="New signer API key"
      description={
        <>
          The key of <span className="font-medium text-fg">{signerName}</span> was rotated.
        </>
      }
      footer={<Button onClick={onClose}>I have stored the key</Button>}
    >
      <div className="space-y-4">
        <div className="flex items-start gap-3 rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg">
          <AlertIcon className="mt-0.5 size-5 shrink-0" />
          <p>
            <span className="font-semibold">The old key has stopped working.</span> Update your agent with this key now. It is shown only
            this once.
          </p>
        </div>
        <div className="rounded-lg border border-border bg-surface-muted p-3">
          <code data-testid="signer-key-secret" className="block font-mono text-sm break-all text-fg select-all">
            {secret}
          </code>
        </div>
        <CopyButton value={secret} label="Copy key" variant="primary" size="md" className="w-full" />
      </div>
    </Dialog>
  );
}
