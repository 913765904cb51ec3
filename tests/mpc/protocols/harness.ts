/** In-memory message router that drives several parties of one protocol in lock-step. */
import {
  deserializeState,
  isAborted,
  isFinished,
  serializeState,
  type Message,
  type ProtocolBlame,
  type ProtocolName,
  type StateBase,
  type StepResult,
} from "@/lib/mpc/protocol";

export type AnyState = StateBase<ProtocolName>;

export interface Party<S extends AnyState> {
  id: number;
  state: S;
}

export interface RunOptions<S extends AnyState> {
  /** JSON round-trip every state before each step (as if stored between HTTP calls). */
  roundTrip?: boolean;
  /** Rewrite messages in transit; return the replacement (or the original). */
  tamper?: (m: Message) => Message;
  /** Called with every round's traffic before delivery. */
  onRound?: (round: number, messages: Message[], states: Map<number, S>) => void;
}

export interface RunResult<O> {
  outputs: Map<number, O>;
  aborts: Map<number, ProtocolBlame>;
  /** Every message sent, in order. */
  transcript: Message[];
}

export function recipientsOf(m: Message, ids: readonly number[]): number[] {
  return m.to === "all" ? ids.filter((i) => i !== m.from) : [m.to];
}

/** Drive parties until every one has an output or an abort. */
export function runParties<S extends AnyState, O>(
  starts: ReadonlyArray<{ state: S; outgoing: Message[] }>,
  step: (s: S, incoming: Message[]) => StepResult<S, O>,
  opts: RunOptions<S> = {},
): RunResult<O> {
  const states = new Map<number, S>();
  for (const s of starts) states.set(s.state.self, s.state);
  const ids = [...states.keys()];
  const outputs = new Map<number, O>();
  const aborts = new Map<number, ProtocolBlame>();
  const transcript: Message[] = [];
  let pending = starts.flatMap((s) => s.outgoing);
  for (let guard = 0; guard < 20 && states.size > 0; guard++) {
    if (opts.tamper) pending = pending.map(opts.tamper);
    transcript.push(...pending);
    const round = pending[0]?.round ?? -1;
    opts.onRound?.(round, pending, states);
    const next: Message[] = [];
    for (const [id, st] of [...states]) {
      const incoming = pending.filter((m) => recipientsOf(m, ids).includes(id));
      let current = st;
      if (opts.roundTrip) current = deserializeState<S>(serializeState(current), current.protocol);
      const r = step(current, incoming);
      if (isAborted(r)) {
        aborts.set(id, r.abort);
        states.delete(id);
      } else if (isFinished(r)) {
        outputs.set(id, r.output);
        states.delete(id);
      } else {
        states.set(id, r.state);
        next.push(...r.outgoing);
      }
    }
    pending = next;
  }
  return { outputs, aborts, transcript };
}
