/**
 * A small pool of repetition workers (repetition.worker.ts) for the aux worker: each batch of
 * Π^mod/Π^prm jobs is cut into ranges of repetitions, the ranges go to whichever worker is free,
 * and the results are joined in order (proofs/repetitions.ts). If a worker fails (cannot load,
 * crashes, answers with an error), the pool is shut down and this batch and every later one are
 * computed in place, one job after the other.
 *
 * The prover jobs carry secrets (primes, nonces): they only travel by postMessage and live in the
 * workers' memory; `close()` terminates the workers once the aux run is over.
 */
import {
  evenCuts,
  runJobsSliced,
  runRepetitionJob,
  type RepetitionJob,
  type RepetitionResult,
  type RepetitionRunner,
} from "../proofs/repetitions";
import type { RepetitionWorkerRequest, RepetitionWorkerResponse } from "./messages";
import type { WorkerLike } from "./worker-client";

export const DEFAULT_REPETITION_WORKERS = 2;

export interface RepetitionPoolOptions {
  /** Creates one repetition worker. */
  makeWorker: () => WorkerLike;
  /** Number of workers (default 2). */
  size?: number;
  /** Ranges per job (default: the number of workers). */
  parts?: number;
}

interface Task {
  id: number;
  job: RepetitionJob;
  resolve: (r: RepetitionResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: WorkerLike;
  task: Task | null;
}

export class RepetitionPool {
  private readonly size: number;
  private readonly parts: number;
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private nextId = 0;
  private broken = false;
  private closed = false;

  constructor(private readonly opts: RepetitionPoolOptions) {
    this.size = Math.max(1, opts.size ?? DEFAULT_REPETITION_WORKERS);
    this.parts = Math.max(1, opts.parts ?? this.size);
  }

  /** True once a worker failed: every batch is then computed in place. */
  get fellBack(): boolean {
    return this.broken;
  }

  readonly run: RepetitionRunner = async (jobs) => {
    if (!this.broken && !this.closed) {
      try {
        return await runJobsSliced(jobs, (job) => this.dispatch(job), (count) => evenCuts(count, this.parts));
      } catch {
        this.broken = true;
        this.stop(new Error("the repetition pool was shut down"));
      }
    }
    return jobs.map(runRepetitionJob);
  };

  /** Terminates the workers (pending slices are rejected; the pool then computes in place). */
  close(): void {
    this.closed = true;
    this.stop(new Error("the repetition pool was closed"));
  }

  private stop(reason: Error): void {
    const pending = [...this.slots.flatMap((s) => (s.task ? [s.task] : [])), ...this.queue];
    for (const s of this.slots) s.worker.terminate();
    this.slots = [];
    this.queue = [];
    for (const t of pending) t.reject(reason);
  }

  private dispatch(job: RepetitionJob): Promise<RepetitionResult> {
    return new Promise((resolve, reject) => {
      if (this.broken || this.closed) return reject(new Error("the repetition pool is not running"));
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  private fail(message: string): void {
    this.broken = true;
    this.stop(new Error(message));
  }

  private start(): Slot {
    const slot: Slot = { worker: this.opts.makeWorker(), task: null };
    slot.worker.onmessage = (ev: MessageEvent) => {
      const m = ev.data as RepetitionWorkerResponse;
      const task = slot.task;
      if (!task || m.id !== task.id) return this.fail("a repetition worker answered out of turn");
      if (m.type !== "result") return this.fail(`a repetition worker failed: ${m.message}`);
      slot.task = null;
      task.resolve(m.result);
      this.pump();
    };
    slot.worker.onerror = (ev: ErrorEvent) => this.fail(`a repetition worker failed: ${ev.message || "it could not start"}`);
    return slot;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) {
        slot = this.start();
        this.slots.push(slot);
      }
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage({ type: "job", id: task.id, job: task.job } satisfies RepetitionWorkerRequest);
    }
  }
}

/**
 * The pool for this browser context, or null where it would not help: one logical core, or no
 * nested Web Workers. `size` is capped by the cores. `makeWorker` creates a repetition.worker (bundlers
 * need the `new Worker(new URL("…", import.meta.url))` expression where the worker file is known).
 */
export function browserRepetitionPool(makeWorker: () => WorkerLike, size = DEFAULT_REPETITION_WORKERS): RepetitionPool | null {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  if (cores <= 1 || typeof Worker === "undefined") return null;
  return new RepetitionPool({ makeWorker, size: Math.min(size, cores) });
}
