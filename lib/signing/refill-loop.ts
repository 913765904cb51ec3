import { keyStoreStatus } from "@/lib/keystore";
import { log } from "@/lib/log/logger";

/**
 * A background pool refill (server primes, Paillier nonces): `refill` runs now and every
 * `intervalMs`, never twice at once, and not while the key store is sealed (pools hold sealed
 * secrets). Returns the stop function; the timer does not keep the process alive.
 */
export function startRefillLoop(what: string, intervalMs: number, refill: (signal: AbortSignal) => Promise<number>, fields: Record<string, unknown> = {}): () => void {
  const ac = new AbortController();
  let running = false;
  const tick = async () => {
    if (running || ac.signal.aborted || keyStoreStatus().sealed) return;
    running = true;
    try {
      const added = await refill(ac.signal);
      if (added) log.info(`${what} topped up`, { added, ...fields });
    } catch (err) {
      // A pass cut short by stop() (e.g. its worker terminated) is not a failure.
      if (!ac.signal.aborted) log.warn(`${what} refill failed`, { error: err as Error });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => {
    ac.abort();
    clearInterval(timer);
  };
}
