"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, useSyncExternalStore } from "react";
import { verifyBundleEntry, type BundleEntry, type EntryVerification } from "@/lib/tlog/bundle";
import { api } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import { formatDateTime } from "../format/dates";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { CopyButton } from "../ui/copy-button";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";

/** GET /api/v1/transparency-log/sth. */
export interface SignedTreeHead {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
  note: string;
  origin: string;
  vkey: string;
}

/** GET /api/v1/transparency-log/decisions/{id}. */
export interface DecisionBundle {
  decision_id: string;
  tree_size: number;
  origin: string;
  vkey: string;
  entries: BundleEntry[];
}

/** The log key this browser trusts, pinned the first time it verifies (trust on first use). */
export const PINNED_VKEY_STORAGE = "countersign.tlog.vkey";

function readPinned(): string | null {
  try {
    return window.localStorage.getItem(PINNED_VKEY_STORAGE);
  } catch {
    return null;
  }
}

const PIN_EVENT = "countersign:tlog-pin";

function pin(vkey: string) {
  try {
    window.localStorage.setItem(PINNED_VKEY_STORAGE, vkey);
  } catch {
    // Storage disabled: verification still runs against the key the server gives.
  }
  window.dispatchEvent(new Event(PIN_EVENT));
}

function subscribePinned(onChange: () => void) {
  window.addEventListener(PIN_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(PIN_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The pinned key, kept current when a Verify (or another tab) pins one. */
function usePinnedKey(): string | null {
  return useSyncExternalStore(subscribePinned, readPinned, () => null);
}

export function TransparencyLogPanel() {
  const sth = useQuery({
    queryKey: ["transparency-log", "sth"],
    queryFn: ({ signal }) => api.get<SignedTreeHead>("/api/v1/transparency-log/sth", signal),
  });
  const pinned = usePinnedKey();

  return (
    <Card aria-labelledby="tlog-title">
      <CardHeader>
        <div className="min-w-0">
          <CardTitle id="tlog-title">Transparency log</CardTitle>
          <CardDescription>
            Every audit event and decision is a leaf of an append-only Merkle tree whose checkpoints the log signs. Verify on a row checks its leaf, inclusion proof and the checkpoint signature in this browser.
          </CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {sth.isPending ? (
          <SkeletonBlock lines={3} label="Loading transparency log" />
        ) : sth.error || !sth.data ? (
          <ErrorState title="Could not load the transparency log" message={describeError(sth.error)} onRetry={() => sth.refetch()} />
        ) : (
          <div className="space-y-3 text-sm">
            {sth.data.tree_size === 0 ? <p className="text-fg-muted">The log has no entries yet; the first audit event will appear within a second.</p> : null}
            <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
              <dt className="text-fg-muted">Tree size</dt>
              <dd className="font-medium text-fg" data-testid="tlog-tree-size">
                {sth.data.tree_size}
              </dd>
              <dt className="text-fg-muted">Origin</dt>
              <dd className="font-mono text-xs break-all text-fg">{sth.data.origin}</dd>
              <dt className="text-fg-muted">Root hash</dt>
              <dd className="font-mono text-xs break-all text-fg">{sth.data.root_hash}</dd>
              <dt className="text-fg-muted">Checkpoint time</dt>
              <dd className="text-fg">
                <time dateTime={sth.data.timestamp}>{formatDateTime(sth.data.timestamp)}</time>
              </dd>
              <dt className="text-fg-muted">Log key (vkey)</dt>
              <dd className="min-w-0 space-y-1">
                <code className="block font-mono text-xs break-all text-fg">{sth.data.vkey}</code>
                <div className="flex flex-wrap items-center gap-2">
                  <CopyButton value={sth.data.vkey} label="Copy key" />
                  {pinned === null ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => pin(sth.data.vkey)}
                    >
                      Pin this key
                    </Button>
                  ) : pinned === sth.data.vkey ? (
                    <Badge tone="success">Pinned in this browser</Badge>
                  ) : (
                    <Badge tone="warning">Differs from the key pinned in this browser</Badge>
                  )}
                </div>
              </dd>
            </dl>
            <details>
              <summary className="cursor-pointer text-xs font-medium text-accent-soft-fg">Signed checkpoint</summary>
              <pre className="mt-1 max-w-full overflow-x-auto rounded-md bg-surface-muted p-2 font-mono text-xs whitespace-pre text-fg" data-testid="tlog-note">
                {sth.data.note}
              </pre>
            </details>
          </div>
        )}
      </CardBody>
    </Card>
  );
}

type VerifyState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "pending"; message: string }
  | { status: "error"; message: string }
  | { status: "done"; ok: boolean; message: string; keyChanged: { pinned: string; served: string } | null };

/** Verifies an event's proof bundle entirely in the browser against the pinned log key. */
export async function verifyDecision(decisionId: string, trustServedKey = false): Promise<VerifyState> {
  let bundle: DecisionBundle;
  try {
    bundle = await api.get<DecisionBundle>(`/api/v1/transparency-log/decisions/${encodeURIComponent(decisionId)}`);
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 404 && /not yet in a checkpoint/i.test(error.message)) return { status: "pending", message: error.message };
    return { status: "error", message: describeError(error) };
  }
  let pinned = readPinned();
  if (pinned === null || trustServedKey) {
    pin(bundle.vkey);
    pinned = bundle.vkey;
  }
  const keyChanged = pinned === bundle.vkey ? null : { pinned, served: bundle.vkey };
  let last: Extract<EntryVerification, { ok: true }> | null = null;
  for (const entry of bundle.entries) {
    const r = verifyBundleEntry(entry, pinned);
    if (!r.ok) return { status: "done", ok: false, message: `Not verified: ${r.message}`, keyChanged };
    last = r;
  }
  if (!last) return { status: "error", message: "The log answered no entries for this event." };
  const leaves = bundle.entries.map((e) => e.leaf_index).join(", ");
  return {
    status: "done",
    ok: true,
    message: `Verified: leaf ${leaves} of ${last.treeSize} under checkpoint ${last.origin} ${last.rootHash}`,
    keyChanged,
  };
}

export function VerifyEvent({ eventId }: { eventId: string }) {
  const [state, setState] = useState<VerifyState>({ status: "idle" });
  const run = async (trustServedKey = false) => {
    setState({ status: "loading" });
    setState(await verifyDecision(eventId, trustServedKey));
  };

  return (
    <span className="flex min-w-0 flex-col items-end gap-1 text-right sm:max-w-xs sm:items-start sm:text-left">
      <Button size="sm" variant="secondary" onClick={() => run()} loading={state.status === "loading"} aria-label={`Verify event ${eventId} in the transparency log`}>
        {state.status === "pending" ? "Retry" : "Verify"}
      </Button>
      <span aria-live="polite" className="min-w-0 text-xs break-all">
        {state.status === "pending" ? (
          <span className="text-fg-muted" data-testid="tlog-verify-pending">
            Not yet in a checkpoint; a checkpoint follows within a second. Retry.
          </span>
        ) : state.status === "error" ? (
          <span className="text-danger-soft-fg">{state.message}</span>
        ) : state.status === "done" ? (
          <>
            <span className={state.ok ? "text-success-soft-fg" : "text-danger-soft-fg"} data-testid="tlog-verify-result">
              {state.message}
            </span>
            {state.keyChanged ? (
              <span className="mt-1 block text-warning-soft-fg" role="alert">
                Warning: the log now presents a different key ({state.keyChanged.served}) from the one pinned in this browser ({state.keyChanged.pinned}).{" "}
                <button type="button" className="underline" onClick={() => run(true)}>
                  Trust the new key
                </button>
              </span>
            ) : null}
          </>
        ) : null}
      </span>
    </span>
  );
}
