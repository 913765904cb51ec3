"use client";

import type { ReactNode } from "react";
import { AlertIcon } from "../icons";
import { Button } from "./button";
import { CopyButton } from "./copy-button";
import { Dialog } from "./dialog";

/**
 * Shows a freshly issued secret exactly once; closing the dialog drops it from memory and the page.
 * The warning says what the holder must do now (store it, update the agent, …).
 */
export function SecretOnceDialog({
  title,
  description,
  warning,
  secret,
  testId,
  onClose,
}: {
  title: string;
  description: ReactNode;
  warning: ReactNode;
  secret: string;
  testId: string;
  onClose: () => void;
}) {
  return (
    <Dialog open onClose={onClose} closeOnBackdrop={false} title={title} description={description} footer={<Button onClick={onClose}>I have stored the key</Button>}>
      <div className="space-y-4">
        <div className="flex items-start gap-3 rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg">
          <AlertIcon className="mt-0.5 size-5 shrink-0" />
          <p>{warning}</p>
        </div>
        <div className="rounded-lg border border-border bg-surface-muted p-3">
          <code data-testid={testId} className="block font-mono text-sm break-all text-fg select-all">
            {secret}
          </code>
        </div>
        <CopyButton value={secret} label="Copy key" variant="primary" size="md" className="w-full" />
      </div>
    </Dialog>
  );
}
