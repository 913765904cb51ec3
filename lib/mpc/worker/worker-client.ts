/**
 * Main-thread client for the MPC workers: sends requests and resolves each with the worker's next
 * outcome (outgoing messages, output, abort), forwarding prime-generation progress to a callback.
 */
import type { KeyShare } from "../key-share";
import type { Message } from "../protocol";
import type { PrimeProgressEvent, ProfileName, WorkerRequest, WorkerResponse } from "./messages";
import { MpcError } from "../errors";

export type WorkerOutcome = Exclude<WorkerResponse, PrimeProgressEvent>;

export class WorkerFailure extends MpcError {}

/** What a worker's answer says when it is neither messages nor an output (inside a protocol run). */
export function failureOf(r: Exclude<WorkerOutcome, { type: "outgoing" | "output" }>): string {
  if (r.type === "abort") return `aborted: blame ${JSON.stringify(r.blame)}`;
  if (r.type === "prepared") return "answered a preparation in the middle of a protocol";
  return r.message;
}

/** Minimal Worker surface, so the client also runs against test doubles. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export class MpcWorkerClient {
  private waiting: Array<(r: WorkerOutcome) => void> = [];
  private queued: WorkerOutcome[] = [];

  constructor(
    private readonly worker: WorkerLike,
    private readonly onProgress?: (p: PrimeProgressEvent) => void,
  ) {
    worker.onmessage = (ev: MessageEvent) => this.deliver(ev.data as WorkerResponse);
    worker.onerror = (ev: ErrorEvent) => this.deliver({ type: "error", message: ev.message || "worker error" });
  }

  private deliver(m: WorkerResponse): void {
    if (m.type === "progress") {
      this.onProgress?.(m);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(m);
    else this.queued.push(m);
  }

  /** The next non-progress response of the worker. */
  next(): Promise<WorkerOutcome> {
    const q = this.queued.shift();
    if (q) return Promise.resolve(q);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Send a start request and wait for the first outcome (the round-1 messages). */
  start(req: Exclude<WorkerRequest, { type: "step" }>): Promise<WorkerOutcome> {
    this.worker.postMessage(req);
    return this.next();
  }

  /** A sign worker precomputes its session's Paillier nonces and ring-Pedersen masks (sign.prepare); resolves with how many. */
  async prepare(share: KeyShare, signers: number[], profile?: ProfileName): Promise<number> {
    const r = await this.start({ type: "sign.prepare", share, signers, profile });
    if (r.type !== "prepared") throw new WorkerFailure(`the sign worker did not prepare: ${r.type === "outgoing" || r.type === "output" ? r.type : failureOf(r)}`);
    return r.nonces;
  }

  /**
   * Deliver a round's messages. Resolves with the next outcome, or null if the worker accepted the
   * messages but still waits for more of the same round.
   */
  async step(incoming: Message[], expectsOutcome: boolean): Promise<WorkerOutcome | null> {
    this.worker.postMessage({ type: "step", incoming } satisfies WorkerRequest);
    return expectsOutcome ? this.next() : null;
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** Run one protocol among several worker clients, routing messages until all finish or one aborts. */
export async function runWorkers<O>(
  clients: ReadonlyMap<number, MpcWorkerClient>,
  first: ReadonlyMap<number, WorkerOutcome>,
): Promise<Map<number, O>> {
  const outputs = new Map<number, O>();
  let current = new Map(first);
  for (let guard = 0; guard < 16; guard++) {
    const messages: Message[] = [];
    for (const [id, r] of current) {
      if (r.type === "outgoing") messages.push(...r.messages);
      else if (r.type === "output") outputs.set(id, r.output as O);
      else throw new WorkerFailure(`party ${id}: ${failureOf(r)}`);
    }
    const live = [...current.keys()].filter((id) => !outputs.has(id));
    if (live.length === 0) return outputs;
    const next = new Map<number, WorkerOutcome>();
    await Promise.all(
      live.map(async (id) => {
        const incoming = messages.filter((m) => m.from !== id && (m.to === "all" || m.to === id));
        const r = await clients.get(id)!.step(incoming, true);
        if (r) next.set(id, r);
      }),
    );
    current = next;
  }
  throw new WorkerFailure("protocol did not finish");
}
