/** In-process stand-ins for repetition.worker: the same job runner, messages cloned as postMessage would. */
import { runRepetitionJob } from "@/lib/mpc/proofs/repetitions";
import type { RepetitionWorkerRequest, RepetitionWorkerResponse } from "@/lib/mpc/worker/messages";
import type { WorkerLike } from "@/lib/mpc/worker/worker-client";

export type Misbehaviour = "none" | "cannot-start" | "answers-error";

export class InProcessRepetitionWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  jobs = 0;

  constructor(private readonly misbehaviour: Misbehaviour = "none") {}

  postMessage(message: unknown): void {
    // structuredClone: what crosses to a real worker must be clonable (bigints, plain objects).
    const req = structuredClone(message) as RepetitionWorkerRequest;
    this.jobs++;
    setTimeout(() => {
      if (this.terminated) return;
      if (this.misbehaviour === "cannot-start") {
        this.onerror?.({ message: "failed to load the worker script" } as ErrorEvent);
        return;
      }
      const reply: RepetitionWorkerResponse =
        this.misbehaviour === "answers-error"
          ? { type: "error", id: req.id, message: "RangeError: out of memory" }
          : { type: "result", id: req.id, result: runRepetitionJob(req.job) };
      this.onmessage?.({ data: structuredClone(reply) } as MessageEvent);
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
  }
}
