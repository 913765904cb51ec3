/**
 * Worker-side driver shared by the entry points: holds one protocol state in memory (never in storage,
 * spec §8.3) and turns `step` results into WorkerResponse messages.
 */
import { isAborted, isFinished, type Message, type ProtocolName, type StateBase, type StepResult } from "../protocol";
import { MessageRejected } from "../wire";
import type { WorkerResponse } from "./messages";

export interface Machine<S extends StateBase<ProtocolName>, O> {
  protocol: ProtocolName;
  /** May be asynchronous (e.g. aux with its repetitions in other workers). */
  step(state: S, incoming: Message[]): StepResult<S, O> | Promise<StepResult<S, O>>;
  /** Called once when the session ends (output, abort or failure), e.g. to stop helper workers. */
  close?(): void;
}

export class WorkerSession<S extends StateBase<ProtocolName>, O> {
  private state: S | null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly machine: Machine<S, O>,
    start: { state: S; outgoing: Message[] },
    private readonly post: (m: WorkerResponse) => void,
    private readonly toOutput: (o: O) => WorkerResponse,
  ) {
    this.state = start.state;
    post({ type: "outgoing", protocol: machine.protocol, round: start.state.round, messages: start.outgoing });
  }

  get active(): boolean {
    return this.state !== null;
  }

  /** Steps run one after the other in the order of the calls; a failure rejects (the session then ends). */
  step(incoming: Message[]): Promise<void> {
    const run = this.chain.then(() => this.stepNow(incoming));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private end(): void {
    this.state = null;
    this.machine.close?.();
  }

  private async stepNow(incoming: Message[]): Promise<void> {
    if (!this.state) {
      this.post({ type: "error", message: `no ${this.machine.protocol} session is running` });
      return;
    }
    let r: StepResult<S, O>;
    try {
      r = await this.machine.step(this.state, incoming);
    } catch (e) {
      if (e instanceof MessageRejected) {
        this.post({ type: "rejected", check: e.check, message: e.message });
        return;
      }
      this.end();
      throw e;
    }
    if (isAborted(r)) {
      this.end();
      this.post({ type: "abort", protocol: this.machine.protocol, blame: r.abort });
    } else if (isFinished(r)) {
      this.end();
      this.post(this.toOutput(r.output));
    } else {
      this.state = r.state;
      if (r.outgoing.length > 0) {
        this.post({ type: "outgoing", protocol: this.machine.protocol, round: r.state.round, messages: r.outgoing });
      }
    }
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
