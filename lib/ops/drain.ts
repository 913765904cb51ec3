/**
 * Graceful drain on SIGTERM, in the process that holds the HTTP server (tools/server.mjs, where
 * instrumentation.ts installs it). tools/start.ts sets NEXT_MANUAL_SIG_HANDLE so that Next leaves
 * the signals to us. Then:
 *   1. /ready answers 503 "draining" at once (lib/ops/lifecycle.ts);
 *   2. after SHUTDOWN_DELAY_SECONDS (default 0: time for a load balancer to notice) the listener
 *      closes — no new connections — and idle keep-alive connections are closed as they go idle;
 *   3. in-flight requests finish (at most SHUTDOWN_TIMEOUT_SECONDS, then the rest are cut);
 *   4. traces are flushed, the database pool closed, and the process exits 0.
 */
import { Server as NetServer } from "node:net";
import type { Server } from "node:http";
import { log } from "@/lib/log/logger";
import { beginDrain, isDraining } from "./lifecycle";

export type DrainOptions = {
  /** The servers to close; found when the drain starts. */
  servers: () => Server[];
  delayMs: number;
  timeoutMs: number;
  /** Runs as the drain begins: stop background work so that none starts anew. */
  onDrain?: () => void;
  /** Runs after the servers closed (or the timeout cut them): flush, disconnect. */
  cleanup?: () => Promise<void>;
  exit?: (code: number) => void;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Stops accepting and resolves once every connection has ended. */
function closeGracefully(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // A connection that finishes its request turns idle; close it then rather than after keepAliveTimeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Runs the drain once; later calls (a second signal) return the same promise. */
let running: Promise<void> | undefined;

export function drain(opts: DrainOptions): Promise<void> {
  running ??= (async () => {
    beginDrain();
    log.info("draining: /ready answers 503", { delaySeconds: opts.delayMs / 1000, timeoutSeconds: opts.timeoutMs / 1000 });
    opts.onDrain?.();
    if (opts.delayMs > 0) await sleep(opts.delayMs);
    const servers = opts.servers();
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.all(servers.map(closeGracefully)).then(() => true);
    const timedOut = new Promise<false>((r) => {
      timer = setTimeout(() => r(false), opts.timeoutMs);
    });
    const finished = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (!finished) {
      log.warn("drain timed out; closing the remaining connections", { timeoutSeconds: opts.timeoutMs / 1000 });
      for (const s of servers) s.closeAllConnections();
    }
    await opts.cleanup?.().catch((err: Error) => log.warn("drain cleanup failed", { error: err.message }));
    // Node joins its thread pool at exit: a safe prime OpenSSL is generating for the pool (seconds to
    // a minute or two, only while the pool refills) delays the actual exit until it is done.
    log.info("drained; exiting");
    (opts.exit ?? process.exit)(0);
  })();
  return running;
}

/** Tests only. */
export function resetDrain(): void {
  running = undefined;
}

/**
 * The HTTP servers listening in this process. Next does not hand its server to application code,
 * so they are found among the process's active handles (Node keeps each listening server there).
 */
export function listeningHttpServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter((h): h is Server => h instanceof NetServer && h.listening && typeof (h as Server).closeIdleConnections === "function");
}

/**
 * Installs the signal handlers. With NEXT_MANUAL_SIG_HANDLE set (npm start) the drain above runs on
 * SIGTERM and SIGINT; without it Next closes the server itself, and SIGTERM only turns /ready to 503.
 */
export function installDrain(opts: { delayMs: number; timeoutMs: number; onDrain?: () => void; cleanup?: () => Promise<void> }): void {
  const holder = globalThis as unknown as { __countersignDrainInstalled?: boolean };
  if (holder.__countersignDrainInstalled) return;
  holder.__countersignDrainInstalled = true;
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
    process.once("SIGTERM", () => beginDrain());
    return;
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (isDraining()) return; // a repeated signal (the terminal and npm start both forward Ctrl-C)
    log.info("signal received", { signal });
    void drain({ servers: listeningHttpServers, ...opts });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
