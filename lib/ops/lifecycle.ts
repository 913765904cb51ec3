/**
 * Process lifecycle state that /health, /ready and the drain on SIGTERM share. It lives on
 * globalThis: Next bundles route handlers and instrumentation.ts separately, so a plain module
 * variable would exist once per bundle, and the drain must be visible to the /ready handler.
 */
type Lifecycle = { startedAt: number; drainingSince: number | null };

const holder = globalThis as unknown as { __countersignLifecycle?: Lifecycle };

function state(): Lifecycle {
  holder.__countersignLifecycle ??= { startedAt: Date.now(), drainingSince: null };
  return holder.__countersignLifecycle;
}

/** Seconds since this process first touched the lifecycle (instrumentation does at start). */
export function uptimeSeconds(now = Date.now()): number {
  return Math.max(0, (now - state().startedAt) / 1000);
}

export function isDraining(): boolean {
  return state().drainingSince !== null;
}

/** From now on /ready answers 503 "draining". Idempotent. */
export function beginDrain(now = Date.now()): void {
  state().drainingSince ??= now;
}

/** Touches the state so uptime counts from process start rather than from the first request. */
export function markStarted(): void {
  state();
}

/** Tests only: a fresh, undrained process. */
export function resetLifecycle(): void {
  holder.__countersignLifecycle = { startedAt: Date.now(), drainingSince: null };
}
