"use client";

import { SecretOnceDialog } from "../ui/secret-once-dialog";

export function RotatedKeyDialog({ signerName, secret, onClose }: { signerName: string; secret: string; onClose: () => void }) {
  return (
    <SecretOnceDialog
      title="New signer API key"
      description={
        <>
          The key of <span className="font-medium text-fg">{signerName}</span> was rotated.
        </>
      }
      warning={
        <>
          <span className="font-semibold">The old key has stopped working.</span> Update your agent with this key now. It is shown only this
          once.
        </>
      }
      secret={secret}
      testId="signer-key-secret"
      onClose={onClose}
    />
  );
}
