"use client";

import { useState } from "react";
import type { Network, Signer } from "../api/signers";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FundFromDevnetButton, isFundableFromDevnet } from "./fund-button";
import { SendDialog } from "./send-dialog";

/** Send from the browser (User+Server) and, on the local devnet, fund the signer. */
export function SendCard({ organizationId, signer, network }: { organizationId: string; signer: Signer; network: Network | undefined }) {
  const [open, setOpen] = useState(false);
  const canSend = signer.status === "active";
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Send</CardTitle>
          <CardDescription>
            Sign a transaction yourself, together with Countersign: your share is unlocked with your passkey in this browser.
          </CardDescription>
        </div>
      </CardHeader>
      <CardBody className="flex flex-wrap items-start gap-2">
        <Button onClick={() => setOpen(true)} disabled={!canSend}>
          Send
        </Button>
        {isFundableFromDevnet(network, signer) ? <FundFromDevnetButton organizationId={organizationId} signer={signer} /> : null}
        {!canSend ? <p className="w-full text-sm text-fg-muted">Sending needs an active signer (this one is {signer.status}).</p> : null}
      </CardBody>
      {open ? <SendDialog signer={signer} network={network} open={open} onClose={() => setOpen(false)} /> : null}
    </Card>
  );
}
