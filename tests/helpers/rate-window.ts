import { afterEach, beforeEach, vi } from "vitest";

/**
 * Rate limits count in fixed windows of a minute. A test that makes N requests and expects the
 * (N+1)th refused must not straddle a window boundary: each test here starts at the beginning of a
 * fresh minute (Date only is moved, forward by under a minute; it then runs at the real pace).
 */
export function startEachTestAtAFreshMinute(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Math.ceil(Date.now() / 60_000) * 60_000 + 100);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
