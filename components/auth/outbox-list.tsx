"use client";

import { useCallback, useEffect, useState } from "react";
import { apiRequest } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import type { OutboxMessage } from "../api/types";
import { InboxIcon } from "../icons";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { formatDateTime } from "../format/dates";
import { linkify } from "./linkify";

type State = { kind: "loading" } | { kind: "ready"; messages: OutboxMessage[] } | { kind: "disabled" } | { kind: "failed"; message: string };

function MessageText({ text }: { text: string }) {
  return (
    <pre className="mt-3 overflow-x-auto rounded-lg bg-surface-muted p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-fg">
      {linkify(text).map((part, index) =>
        part.kind === "link" ? (
          <a key={index} href={part.value} className="font-semibold text-accent-soft-fg underline underline-offset-2">
            {part.value}
          </a>
        ) : (
          <span key={index}>{part.value}</span>
        ),
      )}
    </pre>
  );
}

/** Development mailbox: e-mails the server would have sent, when it runs without SMTP. */
export function OutboxList() {
  const [state, setState] = useState<State>({ kind: "loading" });

  const load = useCallback(async () => {
    setState({ kind: "loading" });
    try {
      const { messages } = await apiRequest<{ messages: OutboxMessage[] }>("/api/v1/dev/outbox");
      const newestFirst = [...messages].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      setState({ kind: "ready", messages: newestFirst });
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 404) setState({ kind: "disabled" });
      else setState({ kind: "failed", message: describeError(error) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="w-full max-w-2xl">
      <div className="mb-5 flex items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-fg">Dev outbox</h1>
          <p className="mt-1 text-sm text-fg-muted">E-mails this server would have sent. Only available without an SMTP server.</p>
        </div>
        <Button variant="secondary" size="sm" onClick={load} disabled={state.kind === "loading"}>
          Refresh
        </Button>
      </div>
      {state.kind === "loading" ? <SkeletonBlock lines={4} label="Loading messages" /> : null}
      {state.kind === "failed" ? <ErrorState message={state.message} onRetry={load} /> : null}
      {state.kind === "disabled" ? (
        <EmptyState icon={<InboxIcon className="size-5" />} title="Outbox is off" description="This server sends real e-mail through SMTP, so nothing is kept here." />
      ) : null}
      {state.kind === "ready" && state.messages.length === 0 ? (
        <EmptyState icon={<InboxIcon className="size-5" />} title="No messages yet" description="Only mail sent to the address of the account you are signed in with appears here. Signed out, nothing does." />
      ) : null}
      {state.kind === "ready" && state.messages.length > 0 ? (
        <ol className="space-y-4">
          {state.messages.map((message) => (
            <li key={message.id} className="rounded-xl border border-border bg-surface p-4 shadow-card">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="text-sm font-semibold text-fg">{message.subject}</h2>
                <time dateTime={message.createdAt} className="text-xs text-fg-muted">
                  {formatDateTime(message.createdAt)}
                </time>
              </div>
              <p className="mt-1 text-xs text-fg-muted">To {message.to}</p>
              <MessageText text={message.text} />
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
