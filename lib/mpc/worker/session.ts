/**
 * Worker-side driver shared by the entry points: holds one protocol state in memory (never in storage,
 * spec §8.3) and turns `step` results into WorkerResponse messages.
 */
import { isAborted, isFinished, type Message, type ProtocolName, type StateBase, type StepResult } from "../protocol";
import { MessageRejected } from "../wire";
import type { WorkerResponse } from "./messages";

export interface Machine<S extends StateBase<ProtocolName>, O> {
  protocol: ProtocolName;
  step(state: S, incoming: Message[]): StepResult<S, O>;
}

export class WorkerSession<S extends StateBase<ProtocolName>, O> {
  private state: S | null;

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

  step(incoming: Message[]): void {
    if (!this.state) {
      this.post({ type: "error", message: `no ${this.machine.protocol} session is running` });
      return;
    }
    let r: StepResult<S, O>;
    try {
      r = this.machine.step(this.state, incoming);
    } catch (e) {
      if (e instanceof MessageRejected) {
        this.post({ type: "rejected", check: e.check, message: e.message });
        return;
      }
      this.state = null;
      throw e;
    }
    if (isAborted(r)) {
      this.state = null;
      this.post({ type: "abort", protocol: this.machine.protocol, blame: r.abort });
    } else if (isFinished(r)) {
      this.state = null;
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
