import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { getBackend, type BackendName } from "@/lib/mpc/bigint";
import { RepetitionPool } from "@/lib/mpc/worker/repetition-pool";
import type { WorkerLike } from "@/lib/mpc/worker/worker-client";

/**
 * The server party's repetition threads (and the agent's, in `countersign join`): the Π^mod/Π^prm
 * repetitions of its aux info (most of a key generation's arithmetic) are cut into ranges and
 * computed on worker threads by the same pool the browser uses for its Web Workers
 * (lib/mpc/worker/repetition-pool.ts). The thread that serves
 * requests stays free meanwhile — during a DKG the clients' polls are answered while the server
 * computes its round — and the ranges use both cores. If a thread cannot start or fails, the pool
 * computes in place; the next step builds a new pool.
 */

/** The thread's entry, from the source tree (see nonce-worker.ts: the production bundles never include it). */
const serverEntry = () => path.join(process.cwd(), "lib", "signing", "repetition-thread.mjs");

let threadsStarted = 0;
let jobsAnswered = 0;
/** Answered ranges by the backend the thread computed them on (should be this process's own). */
const jobsByBackend: Partial<Record<BackendName, number>> = {};

/** A worker thread in the Web Worker shape the pool drives. */
class RepetitionThread implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  private readonly worker: Worker;
  private terminated = false;

  constructor(entry: string) {
    // Not `new Worker(…)`: Turbopack would follow it and bundle the entry (see nonce-worker.ts).
    this.worker = Reflect.construct(Worker, [entry, { workerData: { backend: getBackend().name } }]) as Worker;
    threadsStarted++;
    this.worker.unref();
    this.worker.on("message", (data: { type: string; backend?: BackendName }) => {
      if (data.type === "result") {
        jobsAnswered++;
        if (data.backend) jobsByBackend[data.backend] = (jobsByBackend[data.backend] ?? 0) + 1;
      }
      this.onmessage?.({ data } as MessageEvent);
    });
    this.worker.on("error", (err) => this.onerror?.({ message: err.message } as ErrorEvent));
    this.worker.on("exit", (code) => {
      if (code !== 0 && !this.terminated) this.onerror?.({ message: `repetition thread exited (code ${code})` } as ErrorEvent);
    });
  }

  postMessage(message: unknown): void {
    this.worker.postMessage(message);
  }

  terminate(): void {
    this.terminated = true;
    void this.worker.terminate();
  }
}

let shared: RepetitionPool | undefined;

/** This process's repetition pool (one thread per core, at most two), started on first use. */
export function serverRepetitionPool(): RepetitionPool {
  if (!shared || shared.fellBack) shared = repetitionThreadPool(serverEntry());
  return shared;
}

/**
 * A pool of its own over `entry` (the thread file's path): the agent's `countersign join`, which runs
 * from any working directory, gives the path next to its own source. The caller closes it.
 */
export function repetitionThreadPool(entry: string): RepetitionPool {
  return new RepetitionPool({ makeWorker: () => new RepetitionThread(entry), size: Math.min(2, Math.max(1, os.availableParallelism())) });
}

/** Threads started and repetition ranges they answered in this process, in all and by backend (tests, metrics). */
export function repetitionThreadStats(): { threadsStarted: number; jobsAnswered: number; jobsByBackend: Partial<Record<BackendName, number>> } {
  return { threadsStarted, jobsAnswered, jobsByBackend: { ...jobsByBackend } };
}

/** Terminates this process's repetition threads, if any. */
export function stopRepetitionThreads(): void {
  shared?.close();
  shared = undefined;
}
