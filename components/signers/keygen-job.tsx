"use client";

import Link from "next/link";
import { useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ElapsedTime, ProgressBar } from "../ui/elapsed";
import { Button } from "../ui/button";
import { CreateSignerWizard } from "./create-signer-wizard";
import { KeygenContext as Context, type KeygenJobs, type KeygenStatus } from "./keygen-context";

/**
 * Key generation outlives the page it started on (issue #21, "long work survives navigation"): the
 * wizard's work runs in this browser (safe primes and the user's DKG party in Web Workers, the
 * ceremony loop on the main thread), so it lives in the dashboard shell, not in the /signers/new
 * page. The shell mounts one wizard instance (a "job") the first time that page asks for it and keeps
 * it mounted — workers, abort controllers, counters and all — while the user visits other pages of
 * the app; the page only shows it (KeygenWizardSlot). Meanwhile the shell shows a progress line
 * (KeygenIndicator) that links back. A reload or leaving the app ends the work (the wizard asks
 * first); finished primes sealed under the passkey survive that, as before.
 *
 * The job ends when the user leaves the finished wizard ("done"), or stops it from the indicator
 * before the ceremony started (during the ceremony, the wizard's own Cancel applies).
 */

export function KeygenJobProvider({ children }: { children: ReactNode }) {
  const [job, setJob] = useState<number | null>(null);
  const [shown, setShown] = useState(false);
  const [status, setStatus] = useState<KeygenStatus | null>(null);
  const statusRef = useRef<KeygenStatus | null>(null);
  statusRef.current = status;
  const nextJob = useRef(1);

  const report = useCallback((patch: Partial<KeygenStatus>) => {
    setStatus((s) => ({ step: "details", primes: null, ceremony: null, signerName: null, ...s, ...patch }));
  }, []);
  const show = useCallback(() => {
    setShown(true);
    setJob((j) => j ?? nextJob.current++);
  }, []);
  const hide = useCallback(() => {
    setShown(false);
    // A finished wizard has nothing left to keep: the next visit starts a new one.
    if (statusRef.current?.step === "done") {
      setJob(null);
      setStatus(null);
    }
  }, []);
  const stop = useCallback(() => {
    setJob(null);
    setStatus(null);
  }, []);

  const value = useMemo<KeygenJobs>(() => ({ job, shown, status, show, hide, stop, report }), [job, shown, status, show, hide, stop, report]);
  return (
    <Context.Provider value={value}>
      {children}
    </Context.Provider>
  );
}

/** Where the shell renders the wizard: after the page's content, visible only while /signers/new is shown. */
export function KeygenWizardHost({ userName }: { userName: string }) {
  const jobs = useContext(Context);
  if (!jobs?.job) return null;
  return (
    <div hidden={!jobs.shown} data-testid="keygen-wizard-host">
      <CreateSignerWizard key={jobs.job} userName={userName} />
    </div>
  );
}

/** Rendered by the /signers/new page: shows the running wizard, or starts one. */
export function KeygenWizardSlot() {
  const jobs = useContext(Context);
  const show = jobs?.show;
  const hide = jobs?.hide;
  useEffect(() => {
    if (!show || !hide) return;
    show();
    return hide;
  }, [show, hide]);
  return null;
}

/** The shell's line about a key generation running while the user is on another page. */
export function KeygenIndicator() {
  const jobs = useContext(Context);
  if (!jobs?.job || jobs.shown || !jobs.status) return null;
  const { step, primes, ceremony, signerName } = jobs.status;
  const running = step === "generate" && ceremony;
  const title =
    step === "done"
      ? `${signerName ?? "The signer"} is ready`
      : step === "agent-share"
        ? "The key is ready: download the agent's share"
        : running
          ? `Generating the key of ${signerName ?? "a new signer"}`
          : "Preparing a new signer";
  const line = running ? ceremony.text : primes?.text ?? "Preparing safe prime generation…";
  const since = running ? ceremony.startedAt : primes?.startedAt;
  return (
    <section aria-label="Key generation in progress" className="mb-6 space-y-2 rounded-lg border border-border bg-surface px-3 py-2 shadow-sm" data-testid="keygen-indicator">
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <p className="min-w-0 text-sm">
          <span className="font-medium text-fg">{title}</span>
          {step === "done" || step === "agent-share" ? null : (
            <>
              {" · "}
              <span className="text-fg-muted" role="status" aria-live="polite" data-testid="keygen-indicator-status">
                {line}
              </span>
            </>
          )}
        </p>
        <span className="flex shrink-0 items-center gap-3">
          {since && step !== "done" && step !== "agent-share" ? <ElapsedTime since={since} label="Elapsed" className="text-xs text-fg-muted" testId="keygen-indicator-elapsed" /> : null}
          <Link href="/signers/new" className="text-sm font-medium text-accent-soft-fg underline-offset-2 hover:underline">
            Open
          </Link>
          {step === "details" || step === "protect" ? (
            <Button variant="ghost" size="sm" onClick={jobs.stop}>
              Stop
            </Button>
          ) : null}
        </span>
      </div>
      {step === "done" || step === "agent-share" ? null : running ? (
        <ProgressBar value={Math.round(ceremony.fraction * 100)} max={100} label="Key generation progress" testId="keygen-indicator-bar" />
      ) : primes ? (
        <ProgressBar value={primes.done} max={primes.target} label="Safe primes found" testId="keygen-indicator-bar" />
      ) : null}
    </section>
  );
}
