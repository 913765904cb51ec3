"use client";

import { createContext, useContext } from "react";

/** The shell's key-generation job (keygen-job.tsx) as the wizard sees it: a place to report progress. */
export type KeygenStatus = {
  step: "details" | "protect" | "generate" | "agent-share" | "done";
  /** Safe primes found of the target, and when the search started (epoch ms). */
  primes: { done: number; target: number; startedAt: number; text: string } | null;
  /** The ceremony's line ("Key generation: round 2 of 4"), its progress 0..1 and start (epoch ms). */
  ceremony: { text: string; fraction: number; startedAt: number } | null;
  signerName: string | null;
};

export type KeygenJobs = {
  job: number | null;
  shown: boolean;
  status: KeygenStatus | null;
  show: () => void;
  hide: () => void;
  stop: () => void;
  report: (patch: Partial<KeygenStatus>) => void;
};

export const KeygenContext = createContext<KeygenJobs | null>(null);

/** What a wizard reports to the shell (a no-op outside the provider). */
export function useKeygenReport(): (patch: Partial<KeygenStatus>) => void {
  const jobs = useContext(KeygenContext);
  return jobs?.report ?? noop;
}
const noop = () => undefined;

