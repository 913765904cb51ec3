"use client";

import { useState } from "react";
import type { Signer } from "../api/signers";
import { AlertIcon } from "../icons";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import type { DkgWorkerRequest, DkgWorkerResponse } from "@/lib/signing/browser/messages";

function generatedPassphrase(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return chars.match(/.{1,6}/g)!.join("-");
}

export function shareFileName(signer: Signer): string {
  const slug = signer.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "signer";
  return `countersign-share-${slug}.json`;
}

/**
 * The agent's share leaves the DKG worker exactly once: sealed into a `countersign-share/v1` file under
 * the passphrase, offered as a download, then the worker (and the share with it) is discarded.
 * The signer's API key is shown here once; it is also inside the file.
 */
export function AgentShareStep({
  signer,
  apiKey,
  profile,
  workerRef,
  onDownloaded,
}: {
  signer: Signer;
  apiKey: string;
  profile: string;
  workerRef: React.RefObject<Worker | null>;
  onDownloaded: (fileName: string) => void;
}) {
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [generated, setGenerated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    const secret = generated ?? passphrase;
    if (!generated) {
      if (passphrase.length < 12) return setError("Use at least 12 characters, or generate a passphrase.");
      if (passphrase !== confirm) return setError("The passphrases differ.");
    }
    const worker = workerRef.current;
    if (!worker) return setError("The agent's share is no longer in this page.");
    setError(null);
    setBusy(true);
    try {
      const file = await new Promise<unknown>((resolve, reject) => {
        worker.onmessage = (ev: MessageEvent) => {
          const m = ev.data as DkgWorkerResponse;
          if (m.type === "share-file") resolve(m.file);
          else if (m.type === "error") reject(new Error(m.message));
        };
        const req: DkgWorkerRequest = {
          type: "share-file",
          passphrase: secret,
          contents: { apiKey, signerId: signer.id, address: signer.address!, chainId: signer.chainId, baseUrl: window.location.origin, profile },
        };
        worker.postMessage(req);
      });
      const name = shareFileName(signer);
      const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      onDownloaded(name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-5" data-testid="wizard-agent-share">
      <div className="flex items-start gap-3 rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg">
        <AlertIcon className="mt-0.5 size-5 shrink-0" />
        <p>
          <span className="font-semibold">Shown only once.</span> The API key and the agent&apos;s share exist only in this page now. Once you
          download the file (or leave), they are gone from the browser; Countersign never had the share.
        </p>
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-fg">Signer API key</p>
        <div className="rounded-lg border border-border bg-surface-muted p-3">
          <code data-testid="wizard-api-key" className="block font-mono text-sm break-all text-fg select-all">
            {apiKey}
          </code>
        </div>
        <CopyButton value={apiKey} label="Copy API key" />
      </div>
      <div className="space-y-3">
        <p className="text-sm text-fg-muted">
          The share file holds the agent&apos;s key share and this API key, encrypted with a passphrase (scrypt, AES-256-GCM). The agent
          needs the file and the passphrase; keep them apart.
        </p>
        {generated ? (
          <div className="space-y-2">
            <p className="text-sm font-medium text-fg">Generated passphrase</p>
            <div className="rounded-lg border border-border bg-surface-muted p-3">
              <code data-testid="wizard-generated-passphrase" className="block font-mono text-sm break-all text-fg select-all">
                {generated}
              </code>
            </div>
            <CopyButton value={generated} label="Copy passphrase" />
          </div>
        ) : (
          <>
            <Field label="Share file passphrase" hint="At least 12 characters.">
              {(control) => <Input {...control} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
            </Field>
            <Field label="Repeat the share file passphrase">
              {(control) => <Input {...control} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
            </Field>
            <Button variant="ghost" onClick={() => setGenerated(generatedPassphrase())}>
              Generate a passphrase instead
            </Button>
          </>
        )}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-danger-soft-fg">
          {error}
        </p>
      ) : null}
      <Button onClick={() => void download()} loading={busy}>
        Download agent share
      </Button>
    </div>
  );
}
