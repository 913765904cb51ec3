"use client";

import { useEffect, useState } from "react";

/** "7 s", "2 min 05 s": the time since a long operation started. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

/**
 * An elapsed-time counter that ticks every second, so long work shows life even while its
 * determinate figure ("0 of 8") has not moved. `since` is the epoch-ms start (survives re-renders).
 */
export function ElapsedTime({ since, label = "Elapsed", className, testId }: { since: number; label?: string; className?: string; testId?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <span className={className} data-testid={testId}>
      {label ? `${label} ` : null}
      <span className="tabular-nums">{formatElapsed(now === null ? 0 : now - since)}</span>
    </span>
  );
}

/** A determinate progress bar for counted work ("primes found of N", "rounds of M"). */
export function ProgressBar({ value, max, label, testId }: { value: number; max: number; label: string; testId?: string }) {
  const pct = max > 0 ? Math.round((Math.min(value, max) / max) * 100) : 0;
  return (
    <div
      className="h-2 w-full overflow-hidden rounded-full bg-surface-muted"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={`${Math.min(value, max)} of ${max}`}
      data-testid={testId}
    >
      <div className="h-full bg-accent transition-[width]" style={{ width: `${pct}%` }} />
    </div>
  );
}
