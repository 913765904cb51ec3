import { log } from "@/lib/log/logger";

/**
 * Runs `task` now and then every `intervalMs` in this process, one pass at a time (a pass still
 * running when the next is due is skipped); a failing pass is logged as `${name} failed` and the
 * next one runs as usual. The timer never keeps the process alive. Returns a stop function.
 */
export function runPeriodically(name: string, intervalMs: number, task: () => Promise<void>): () => void {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await task();
    } catch (err) {
      log.warn(`${name} failed`, { error: err as Error });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
