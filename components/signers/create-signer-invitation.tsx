"use client";

import { useMemo } from "react";
import QRCode from "qrcode";
import { CopyButton } from "../ui/copy-button";

/** `npx countersign join <invitation>`: what the agent's operator pastes on the agent's machine. */
export function joinCommand(invitation: string): string {
  return `npx countersign join ${invitation}`;
}

/** A QR code drawn here as SVG from the qrcode package's module matrix: nothing is fetched. */
export function QrCode({ text, label, size = 224 }: { text: string; label: string; size?: number }) {
  const path = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
    const n = qr.modules.size;
    let d = "";
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { d, view: n + 8 };
  }, [text]);
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${path.view} ${path.view}`} shapeRendering="crispEdges" className="rounded-md bg-white" data-testid="wizard-invitation-qr">
      <rect width={path.view} height={path.view} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}

/**
 * The invitation for the agent: a one-time server token plus this browser's ephemeral key and pin
 * (lib/signing/e2e.ts). Whoever holds it can join this key generation once, so it is shown only here.
 */
export function InvitationPanel({ invitation, expiresAt }: { invitation: string; expiresAt: string | null }) {
  const command = joinCommand(invitation);
  const expires = expiresAt ? new Date(expiresAt) : null;
  return (
    <div className="space-y-3 rounded-lg border border-border p-3" data-testid="wizard-invitation">
      <p className="text-sm text-fg">
        <span className="font-semibold">Run this on the agent&apos;s machine</span>, in a checkout of Countersign. The agent generates its own share
        there, writes it to an encrypted share file and receives the signer&apos;s API key; this browser never sees either.
      </p>
      <div className="rounded-lg bg-surface-muted p-3">
        <code className="block font-mono text-xs break-all text-fg select-all" data-testid="wizard-join-command">
          {command}
        </code>
      </div>
      <div className="flex flex-wrap items-start gap-4">
        <div className="space-y-2">
          <CopyButton value={command} label="Copy command" />
          <p className="max-w-xs text-xs text-fg-muted">
            The invitation works once{expires ? `, until ${expires.toLocaleTimeString()}` : ""}. It carries a one-time code for the server and a pin
            that lets this browser check the agent&apos;s key, so the server cannot slip in its own. Share it only with the agent&apos;s operator.
          </p>
          <p className="max-w-xs text-xs text-fg-muted">
            From code: <code className="font-mono">CountersignAgent.join(invitation)</code>. The QR code holds the invitation alone.
          </p>
        </div>
        <QrCode text={invitation} label="QR code of the invitation" />
      </div>
      <span className="sr-only" data-testid="wizard-invitation-text">
        {invitation}
      </span>
    </div>
  );
}
