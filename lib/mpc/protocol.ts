/**
 * The state-machine shape shared by keygen, aux-info generation and signing (spec §8.6).
 *
 * Every protocol is driven by two pure functions:
 *   start(params)          → { state, outgoing }
 *   step(state, incoming)  → { state, outgoing } | { output } | { abort }
 * `state` is a plain, versioned JSON-safe object (bigints as hex strings), so it can be stored between
 * HTTP calls and resumed by another process. `step` never mutates its input state.
 */
import type { Blame } from "./errors";
import { MpcError } from "./errors";
import { FAST_TEST, PRODUCTION, type SecurityProfile } from "./params";

export type ProtocolName = "keygen" | "aux" | "sign";

export const STATE_VERSION = 1 as const;
export const MESSAGE_VERSION = 1 as const;

/** Envelope of every protocol message (spec §5.1). `to` is a party index or "all" for broadcasts. */
export interface Message<P = unknown> {
  v: typeof MESSAGE_VERSION;
  protocol: ProtocolName;
  sid: string;
  round: number;
  from: number;
  to: number | "all";
  payload: P;
}

/**
 * Blame for an identifiable abort: the faulty party, the round of its message and the failed check.
 * `party` is −1 only for a signing δ/S mismatch among more than two signers, which cannot be
 * attributed without the paper's optional Π^dec rounds (spec §3.7).
 */
export interface ProtocolBlame extends Blame {
  protocol: ProtocolName;
  round: number;
  check: string;
}

/** Fields every protocol state carries. */
export interface StateBase<N extends ProtocolName> {
  v: typeof STATE_VERSION;
  protocol: N;
  /** The round whose messages this party is waiting for. */
  round: number;
  sid: string;
  /** This party's identifier as used in message `from`/`to`. */
  self: number;
  /** All participants of this run (identifiers), ascending. */
  parties: number[];
  /** Messages of the current round accepted so far (the round completes when all have arrived). */
  inbox: Message[];
}

export interface Continue<S> {
  state: S;
  outgoing: Message[];
}
export interface Finished<O> {
  output: O;
}
export interface Aborted {
  abort: ProtocolBlame;
}
export type StepResult<S, O> = Continue<S> | Finished<O> | Aborted;

export function isContinue<S, O>(r: StepResult<S, O>): r is Continue<S> {
  return "state" in r;
}
export function isFinished<S, O>(r: StepResult<S, O>): r is Finished<O> {
  return "output" in r;
}
export function isAborted<S, O>(r: StepResult<S, O>): r is Aborted {
  return "abort" in r;
}

/** The parties of a protocol run in one process (tests, benchmarks): live states, outputs, next round's messages. */
export interface LocalRun<S, O> {
  states: Map<number, S>;
  outputs: Map<number, O>;
  next: Message[];
}

/** Records party `id`'s step result in `run`: its output, or its next state and messages; throws on an abort. */
export function applyStep<S, O>(run: LocalRun<S, O>, id: number, r: StepResult<S, O>): void {
  if (isAborted(r)) throw new Error(`party ${id} aborted: ${JSON.stringify(r.abort)}`);
  if (isFinished(r)) {
    run.outputs.set(id, r.output);
    run.states.delete(id);
  } else {
    run.states.set(id, r.state);
    run.next.push(...r.outgoing);
  }
}

/** Raised inside a round handler when a peer's message fails a check; turned into `{ abort }`. */
export class PeerFault extends MpcError {
  constructor(
    readonly party: number,
    readonly check: string,
    readonly reason: string,
  ) {
    super(`party ${party}: ${check} (${reason})`);
  }
}

/** A stored state could not be loaded (wrong version, protocol or shape). */
export class StateError extends MpcError {}

/** Serialise a state for storage. States are JSON-safe by construction. */
export function serializeState<S extends StateBase<ProtocolName>>(state: S): string {
  return JSON.stringify(state);
}

/** Parse a stored state and check its version, protocol and common fields. */
export function deserializeState<S extends StateBase<ProtocolName>>(json: string, protocol: S["protocol"]): S {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new StateError("state is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null) throw new StateError("state is not an object");
  const s = parsed as Record<string, unknown>;
  if (s.v !== STATE_VERSION) throw new StateError(`unsupported state version ${String(s.v)}`);
  if (s.protocol !== protocol) throw new StateError(`expected a ${protocol} state, got ${String(s.protocol)}`);
  if (!Number.isSafeInteger(s.round) || (s.round as number) < 1) throw new StateError("bad round");
  if (typeof s.sid !== "string" || !Number.isSafeInteger(s.self)) throw new StateError("bad sid or self");
  if (!Array.isArray(s.parties) || !Array.isArray(s.inbox)) throw new StateError("bad parties or inbox");
  return parsed as S;
}

/** Deep copy of a JSON-safe value, used so that `step` never mutates the caller's state. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The security profile stored in a state by name. */
export function profileNamed(name: SecurityProfile["name"]): SecurityProfile {
  if (name === FAST_TEST.name) return FAST_TEST;
  if (name === PRODUCTION.name) return PRODUCTION;
  throw new StateError(`unknown security profile ${String(name)}`);
}
