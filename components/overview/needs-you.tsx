"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PendingItem } from "@/lib/overview/load";
import { decideGatewayCheck, decideSigningRequest } from "../api/approvals";
import { describeError } from "../api/errors";
import { formatRelative } from "../format/dates";
import { Badge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { useToast } from "../ui/toast";

const KIND_LABEL: Record<PendingItem["kind"], string> = { approval: "Agent request", signing: "Signature", tool_call: "Tool call" };

async function decide(item: PendingItem, approve: boolean): Promise<void> {
  // Allowing a HIGH or CRITICAL tool call asks for the passkey, as on the gateway page.
  if (item.kind === "tool_call") await decideGatewayCheck(item.id, approve ? "allow" : "block", item.riskLevel);
  else if (item.kind === "signing") await decideSigningRequest(item.id, approve ? "approve" : "reject");
}

function PendingRow({ item, canDecide }: { item: PendingItem; canDecide: boolean }) {
  const router = useRouter();
  const { toast } = useToast();
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const run = async (approve: boolean) => {
    setBusy(approve ? "approve" : "reject");
    try {
      await decide(item, approve);
      toast({ title: approve ? "Approved" : "Rejected", description: item.title, tone: "success" });
      router.refresh();
    } catch (err) {
      toast({ title: "Could not decide", description: describeError(err), tone: "error" });
    } finally {
      setBusy(null);
    }
  };
  return (
    <li className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:justify-between" data-testid={`pending-${item.kind}`}>
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-fg">
          <Badge tone="warning">{KIND_LABEL[item.kind]}</Badge>
          <span className="break-words">{item.title}</span>
        </p>
        <p className="mt-0.5 truncate text-xs text-fg-muted">
          {item.subtitle} · <time dateTime={item.createdAt} suppressHydrationWarning>{formatRelative(item.createdAt)}</time>
        </p>
      </div>
      <div className="flex shrink-0 gap-2">
        {item.kind === "approval" || !canDecide ? (
          // A seed 004 request is decided on its own page: its clear-signing and, above the threshold, a passkey.
          <Link href={item.href} className={buttonClasses("secondary", "sm")}>
            {canDecide ? "Review" : "Open"}
          </Link>
        ) : (
          <>
            <Button size="sm" onClick={() => void run(true)} disabled={busy !== null} aria-label={`Approve: ${item.title}`}>
              {busy === "approve" ? "Approving…" : "Approve"}
            </Button>
            <Button size="sm" variant="secondary" onClick={() => void run(false)} disabled={busy !== null} aria-label={`Reject: ${item.title}`}>
              {busy === "reject" ? "Rejecting…" : "Reject"}
            </Button>
          </>
        )}
      </div>
    </li>
  );
}

/** What waits for a human now, newest first: inline decisions where a click is enough, a link where the decision needs its page. */
export function PendingList({ items, canDecide }: { items: readonly PendingItem[]; canDecide: boolean }) {
  if (items.length === 0) {
    return (
      <p className="text-sm text-fg-muted" data-testid="pending-empty">
        Nothing waits for you. When a guardrail parks a signature, an agent sends a request or a tool call needs a human, it appears here.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-border" aria-label="Waiting for a decision">
      {items.slice(0, 6).map((item) => (
        <PendingRow key={`${item.kind}-${item.id}`} item={item} canDecide={canDecide} />
      ))}
      {items.length > 6 ? (
        <li className="pt-3 text-sm text-fg-muted">
          and {items.length - 6} more on <Link href="/approvals" className="font-medium text-accent-soft-fg underline-offset-2 hover:underline">Approvals</Link>
        </li>
      ) : null}
    </ul>
  );
}
