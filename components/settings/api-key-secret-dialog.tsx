"use client";

import { SecretOnceDialog } from "../ui/secret-once-dialog";

export function ApiKeySecretDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  return (
    <SecretOnceDialog
      title="Copy your new API key"
      description={
        <>
          Key <span className="font-medium text-fg">{name}</span> was created.
        </>
      }
      warning={
        <>
          <span className="font-semibold">This is the only time the secret is shown.</span> Store it in your secret manager now. If you lose
          it, revoke the key and create a new one.
        </>
      }
      secret={secret}
      testId="api-key-secret"
      onClose={onClose}
    />
  );
}
