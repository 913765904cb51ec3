"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { RulesDocument } from "@/lib/policy/rules-model";
import { describeError } from "../api/errors";
import { activateDraft, type DocumentView } from "../api/policies";
import { queryKeys } from "../api/query-keys";
import { auditLogPrefix } from "../api/signers";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toast";
import { diffCounts, diffDocuments, validateDocument, type DiffEntry } from "./rules-editor-model";

const KIND: Record<DiffEntry["kind"], { label: string; tone: BadgeTone }> = {
  added: { label: "Added", tone: "success" },
  removed: { label: "Removed", tone: "danger" },
  changed: { label: "Changed", tone: "warning" },
  moved: { label: "Moved", tone: "accent" },
  setting: { label: "Setting", tone: "neutral" },
};

function EntryText({ entry }: { entry: DiffEntry }) {
  switch (entry.kind) {
    case "added":
      return (
        <>
          <code className="font-mono text-xs">{entry.ruleId}</code> at position {entry.position}: <span className="text-fg">{entry.after}</span>
        </>
      );
    case "removed":
      return (
        <>
          <code className="font-mono text-xs">{entry.ruleId}</code>: <span className="text-fg line-through decoration-danger/60">{entry.before}</span>
        </>
      );
    case "changed":
      return (
        <>
          <code className="font-mono text-xs">{entry.ruleId}</code>
          <span className="block text-fg-muted">
            was: <span className="line-through decoration-danger/60">{entry.before}</span>
          </span>
          <span className="block text-fg">now: {entry.after}</span>
        </>
      );
    case "moved":
      return (
        <>
          <code className="font-mono text-xs">{entry.ruleId}</code> moves from position {entry.from} to {entry.to}: <span className="text-fg">{entry.after}</span>
        </>
      );
    case "setting":
      return (
        <>
          {entry.name}: <span className="line-through decoration-danger/60">{entry.before}</span> → <span className="text-fg">{entry.after}</span>
        </>
      );
  }
}

export function diffHeadline(entries: readonly DiffEntry[]): string {
  const c = diffCounts(entries);
  const parts = [
    c.added ? `${c.added} added` : null,
    c.removed ? `${c.removed} removed` : null,
    c.changed ? `${c.changed} changed` : null,
    c.moved ? `${c.moved} moved` : null,
    c.settings ? `${c.settings} setting${c.settings === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "No differences";
}

export interface RulesDiffCardProps {
  organizationId: string;
  signerId: string;
  canManage: boolean;
  active: DocumentView | null;
  draft: DocumentView | null;
  /** The document in the editor, when it validates. */
  current: RulesDocument | null;
  dirty: boolean;
}

/** Draft-vs-active diff, and activation of the saved draft behind a confirmation naming its version. */
export function RulesDiffCard({ organizationId, signerId, canManage, active, draft, current, dirty }: RulesDiffCardProps) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const activeDoc = useMemo(() => {
    if (!active) return null;
    const v = validateDocument(active.rules);
    return v.ok ? v.document : null;
  }, [active]);
  const entries = useMemo(() => (current ? diffDocuments(activeDoc, current) : []), [activeDoc, current]);

  const activate = useMutation({
    mutationFn: () => activateDraft(signerId, { version: draft!.version, updatedAt: draft!.updatedAt }),
    onSuccess: async (policy) => {
      setConfirming(false);
      toast({ title: `Version ${policy.version} is active`, description: "New signing requests are checked against it.", tone: "success" });
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.policies.all }), queryClient.invalidateQueries({ queryKey: auditLogPrefix })]);
    },
  });

  const canActivate = canManage && draft !== null && !dirty && current !== null;

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Changes</CardTitle>
          <CardDescription>
            {active ? `Compared with the active version ${active.version}.` : "Nothing is active yet: every rule below would be new."}
          </CardDescription>
        </div>
        {canManage ? (
          <Button
            disabled={!canActivate}
            onClick={() => {
              activate.reset();
              setConfirming(true);
            }}
          >
            {draft ? `Activate version ${draft.version}` : "Activate"}
          </Button>
        ) : null}
      </CardHeader>
      <CardBody className="space-y-3">
        {current === null ? (
          <p className="text-sm text-fg-muted">Fix the problems in the editor to see what would change.</p>
        ) : (
          <>
            <p className="text-sm font-medium text-fg" data-testid="diff-headline">
              {diffHeadline(entries)}
            </p>
            {entries.length > 0 ? (
              <ul className="space-y-2" aria-label="Differences from the active version">
                {entries.map((entry, i) => (
                  <li key={i} className="flex items-start gap-2 text-sm text-fg-muted">
                    <Badge tone={KIND[entry.kind].tone} className="mt-0.5">
                      {KIND[entry.kind].label}
                    </Badge>
                    <span className="min-w-0 break-words">
                      <EntryText entry={entry} />
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
        {canManage && !canActivate ? (
          <p className="text-xs text-fg-muted">
            {dirty ? "Save the draft to activate it." : draft === null ? (active ? "Edit the rules and save a draft to change what is active." : "Save a draft to activate it.") : null}
          </p>
        ) : null}
      </CardBody>
      <ConfirmDialog
        open={confirming}
        title={draft ? `Activate version ${draft.version}?` : "Activate?"}
        description={
          <>
            <span className="block">From the next signing request on, version {draft?.version} decides what this signer may do{active ? `, replacing version ${active.version}` : ""}.</span>
            <span className="mt-2 block font-medium text-fg">{diffHeadline(entries)}</span>
          </>
        }
        confirmLabel={`Activate version ${draft?.version ?? ""}`.trim()}
        tone="primary"
        pending={activate.isPending}
        error={activate.isError ? describeError(activate.error) : null}
        onConfirm={() => activate.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}
