import path from "node:path";
import { Worker } from "node:worker_threads";
import { getBackend } from "@/lib/mpc/bigint";
import type { MaskSlot, NoncePower, PedersenMask } from "@/lib/mpc";
import type { PaillierPublicKey, PaillierSecretKey } from "@/lib/mpc/paillier";
import type { NonceJob, NonceJobResult } from "./nonce-worker-compute";

/**
 * The server's one Paillier nonce worker thread: r^N mod N² (tens of milliseconds at the production
 * size) and ring-Pedersen masks t^y mod N̂ are computed there, so the thread that serves requests only waits for the answer. The main
 * thread decides what to fill and does the database work; the worker only does the arithmetic, one
 * job at a time (the filler asks for the next nonce when the last one is back), so it takes at most
 * one core. Started on the first job, stopped with the filler.
 */

/** The worker could not start, crashed, or was stopped: no nonce can be computed by it. */
export class NonceWorkerError extends Error {
  override readonly name = "NonceWorkerError";
}

/**
 * The worker's entry, from the source tree: the server runs from the project root (as migrations and
 * readiness read prisma/ from there), and the production bundles never include this file.
 */
const entry = () => path.join(process.cwd(), "lib", "signing", "nonce-worker-thread.mjs");

type Answer = { id: number; result?: NonceJobResult; error?: string };
type Pending = { resolve: (result: NonceJobResult) => void; reject: (err: Error) => void };

export class NonceWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: NonceWorkerError | undefined;
  private answered = 0;

  constructor() {
    try {
      // Not `new Worker(…)`: Turbopack follows that to the entry and bundles it (tsx, esbuild's binary)
      // into instrumentation's chunk, which fails the build; the worker must load from the source tree.
      this.worker = Reflect.construct(Worker, [entry(), { workerData: { backend: getBackend().name } }]) as Worker;
    } catch (err) {
      throw new NonceWorkerError(`nonce worker did not start: ${(err as Error).message}`);
    }
    // A background helper: never the reason the process stays up.
    this.worker.unref();
    this.worker.on("message", (a: Answer) => this.answer(a));
    this.worker.on("error", (err) => this.fail(new NonceWorkerError(`nonce worker failed: ${err.message}`)));
    this.worker.on("exit", (code) => this.fail(new NonceWorkerError(`nonce worker exited (code ${code})`)));
  }

  /** The worker thread's id (differs from the main thread's). */
  get threadId(): number {
    return this.worker.threadId;
  }

  /** Nonces this worker has computed (each answer checked to come from its own thread). */
  get computed(): number {
    return this.answered;
  }

  /** False once the worker failed, exited or was stopped. */
  get running(): boolean {
    return this.failure === undefined;
  }

  /** A fresh nonce for `key`, computed on the worker thread (with CRT when `key` is a secret key). */
  async compute(key: PaillierPublicKey | PaillierSecretKey): Promise<NoncePower> {
    const result = await this.run("p" in key ? { N: key.N, p: key.p, q: key.q } : { N: key.N });
    if (!("rN" in result)) throw new NonceWorkerError("nonce worker answered a nonce job with a mask");
    return { r: result.r, rN: result.rN };
  }

  /** A fresh ring-Pedersen mask for `slot` (a verifier's public parameters), computed on the worker thread. */
  async computeMask(slot: MaskSlot): Promise<PedersenMask> {
    const result = await this.run({ mask: { params: { N: slot.params.N, s: slot.params.s, t: slot.params.t }, rangeBits: slot.rangeBits, profile: slot.profile } });
    if (!("ty" in result)) throw new NonceWorkerError("nonce worker answered a mask job with a nonce");
    return { y: result.y, ty: result.ty };
  }

  private run(job: NonceJob): Promise<NonceJobResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<NonceJobResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, job });
    });
  }

  /** Terminates the thread; pending jobs reject with NonceWorkerError. */
  async stop(): Promise<void> {
    this.fail(new NonceWorkerError("nonce worker stopped"));
    await this.worker.terminate();
  }

  private answer(a: Answer): void {
    const p = this.pending.get(a.id);
    if (!p) return;
    this.pending.delete(a.id);
    if (a.error !== undefined || !a.result) return p.reject(new Error(`nonce job failed: ${a.error ?? "no result"}`));
    if (a.result.threadId !== this.worker.threadId) return p.reject(new NonceWorkerError("nonce answer from an unexpected thread"));
    this.answered++;
    p.resolve(a.result);
  }

  private fail(err: NonceWorkerError): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}

let shared: NonceWorker | undefined;

/** This process's nonce worker, started on first use (and again after it failed or was stopped). */
export function nonceWorker(): NonceWorker {
  if (!shared?.running) shared = new NonceWorker();
  return shared;
}

/** Stops this process's nonce worker, if one is running. */
export async function stopNonceWorker(): Promise<void> {
  const w = shared;
  shared = undefined;
  await w?.stop();
}
