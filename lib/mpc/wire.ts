/**
 * Wire formats and receipt checks (spec §5): envelope validation, per-round message collection and
 * strict field decoders. Every decoder checks length and range on the text form BEFORE converting to a
 * number, so an oversized value never reaches any arithmetic.
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { bitLength } from "./bigint";
import { pointFromHex, pointToHex, scalarFromHex, scalarToHex, type Point } from "./curve";
import { EncodingError, MpcError, ProofError } from "./errors";
import {
  cloneJson,
  MESSAGE_VERSION,
  PeerFault,
  type Message,
  type ProtocolName,
  type StateBase,
  type StepResult,
} from "./protocol";

export { bytesToHex, hexToBytes };

/** Why a message was refused at the envelope level (it is dropped; the session continues). */
export type RejectCheck = "shape" | "version" | "protocol" | "sid" | "round" | "sender" | "recipient" | "duplicate";

/**
 * A message was refused before its content was looked at. Envelope faults can be produced by the
 * network (replays, misrouting), so they reject the message instead of blaming its claimed sender.
 */
export class MessageRejected extends MpcError {
  constructor(
    readonly check: RejectCheck,
    readonly from: unknown,
    detail: string,
  ) {
    super(`message rejected (${check}): ${detail}`);
  }
}

/** Which messages a round expects from every other participant. */
export interface RoundShape {
  broadcast: boolean;
  p2p: boolean;
}

export function makeMessage<P>(
  state: Pick<StateBase<ProtocolName>, "protocol" | "sid" | "self">,
  round: number,
  to: number | "all",
  payload: P,
): Message<P> {
  return { v: MESSAGE_VERSION, protocol: state.protocol, sid: state.sid, round, from: state.self, to, payload };
}

function slotOf(m: Message): "all" | "p2p" {
  return m.to === "all" ? "all" : "p2p";
}

/**
 * Validate envelopes of `incoming` against the state's current round and add them to its inbox.
 * Throws MessageRejected for the first bad message (the caller's state is left unchanged).
 */
export function collect(
  state: StateBase<ProtocolName>,
  shape: RoundShape,
  incoming: readonly unknown[],
): { inbox: Message[]; complete: boolean } {
  const inbox = [...state.inbox];
  for (const raw of incoming) {
    if (typeof raw !== "object" || raw === null) throw new MessageRejected("shape", undefined, "not an object");
    const m = raw as Partial<Message>;
    if (m.v !== MESSAGE_VERSION) throw new MessageRejected("version", m.from, `version ${String(m.v)}`);
    if (m.protocol !== state.protocol) throw new MessageRejected("protocol", m.from, String(m.protocol));
    if (m.sid !== state.sid) throw new MessageRejected("sid", m.from, "message belongs to another session");
    if (m.round !== state.round) {
      throw new MessageRejected("round", m.from, `round ${String(m.round)} while in round ${state.round}`);
    }
    if (typeof m.from !== "number" || m.from === state.self || !state.parties.includes(m.from)) {
      throw new MessageRejected("sender", m.from, `sender ${String(m.from)} is not a peer in this session`);
    }
    if (m.to === "all") {
      if (!shape.broadcast) throw new MessageRejected("recipient", m.from, "broadcast where a p2p message is expected");
    } else if (m.to === state.self) {
      if (!shape.p2p) throw new MessageRejected("recipient", m.from, "p2p message where a broadcast is expected");
    } else {
      throw new MessageRejected("recipient", m.from, `message addressed to ${String(m.to)}`);
    }
    if (typeof m.payload !== "object" || m.payload === null || Array.isArray(m.payload)) {
      throw new MessageRejected("shape", m.from, "payload is not an object");
    }
    const msg = m as Message;
    if (inbox.some((x) => x.from === msg.from && slotOf(x) === slotOf(msg))) {
      throw new MessageRejected("duplicate", m.from, `second round-${state.round} message from ${msg.from}`);
    }
    inbox.push(msg);
  }
  const peers = state.parties.filter((p) => p !== state.self);
  const complete = peers.every(
    (p) =>
      (!shape.broadcast || inbox.some((m) => m.from === p && m.to === "all")) &&
      (!shape.p2p || inbox.some((m) => m.from === p && m.to !== "all")),
  );
  return { inbox, complete };
}

/** The message of `from` in `slot` from a complete inbox. */
export function pick(inbox: readonly Message[], from: number, slot: "all" | "p2p"): Message {
  const m = inbox.find((x) => x.from === from && slotOf(x) === slot);
  if (!m) throw new MpcError(`internal: no ${slot} message from ${from}`);
  return m;
}

// ---------------------------------------------------------------------------------------------------
// Field codecs. Encoders produce lowercase hex; decoders accept exactly that canonical form.

const HEX = /^[0-9a-f]*$/;

function field(payload: unknown, name: string): unknown {
  if (typeof payload !== "object" || payload === null) throw new EncodingError(name, "payload is not an object");
  if (!Object.prototype.hasOwnProperty.call(payload, name)) throw new EncodingError(name, "missing");
  return (payload as Record<string, unknown>)[name];
}

/** Read a string field of a payload object. */
export function str(payload: unknown, name: string): string {
  const v = field(payload, name);
  if (typeof v !== "string") throw new EncodingError(name, "not a string");
  return v;
}

/** Read an array field with an exact or maximum length. */
export function arr(payload: unknown, name: string, len: { exact?: number; max?: number }): unknown[] {
  const v = field(payload, name);
  if (!Array.isArray(v)) throw new EncodingError(name, "not an array");
  if (len.exact !== undefined && v.length !== len.exact) throw new EncodingError(name, `length ${v.length} ≠ ${len.exact}`);
  if (len.max !== undefined && v.length > len.max) throw new EncodingError(name, `length ${v.length} > ${len.max}`);
  return v;
}

/** Read an object field. */
export function obj(payload: unknown, name: string): Record<string, unknown> {
  const v = field(payload, name);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new EncodingError(name, "not an object");
  return v as Record<string, unknown>;
}

export function decodeBytes(v: unknown, len: number, name: string): Uint8Array {
  if (typeof v !== "string" || v.length !== 2 * len || !HEX.test(v)) throw new EncodingError(name, `expected ${len} bytes`);
  return hexToBytes(v);
}

/** Scalars and points use the strict codecs of ./curve (32-byte scalar < q; 33-byte compressed point ≠ O). */
export const encodeScalar = (x: bigint): string => scalarToHex(x);
export const decodeScalar = (v: unknown, name: string, opts: { nonZero?: boolean } = {}): bigint =>
  scalarFromHex(v, name, opts);
export const encodePoint = (P: Point): string => pointToHex(P);
export const decodePoint = (v: unknown, name: string): Point => pointFromHex(v, name);

/** Fixed-width residues (ciphertexts, mod-N̂ elements) use the proofs' codec of §5.2. */
export { decodeModElement, encodeModElement } from "./proofs/common";

/** Unsigned integer with minimal encoding and a bit cap (moduli, s, t). */
export function encodeNat(x: bigint): string {
  if (x < 0n) throw new MpcError("internal: negative natural");
  return x.toString(16);
}

export function decodeNat(v: unknown, maxBits: number, name: string): bigint {
  if (typeof v !== "string" || v.length === 0 || !HEX.test(v)) throw new EncodingError(name, "expected a hex natural");
  if (v.length > 1 && v[0] === "0") throw new EncodingError(name, "non-minimal encoding");
  if (v.length > Math.ceil(maxBits / 4)) throw new EncodingError(name, `longer than ${maxBits} bits`);
  const x = BigInt("0x" + v);
  if (bitLength(x) > maxBits) throw new EncodingError(name, `longer than ${maxBits} bits`);
  return x;
}

/** Turn any error raised while checking `party`'s message into a PeerFault naming the failed check. */
export function checkFrom<T>(party: number, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PeerFault) throw err;
    if (err instanceof ProofError) throw new PeerFault(party, `${err.proof}.${err.check}`, `${what}: ${err.message}`);
    if (err instanceof EncodingError) throw new PeerFault(party, `decode.${err.field}`, `${what}: ${err.message}`);
    throw err;
  }
}

/**
 * Shared `step` driver: validate and collect `incoming`; when the round is complete run `handler` on a
 * private copy of the state (with the full inbox) and convert a PeerFault into an identifiable abort.
 */
export function advance<S extends StateBase<ProtocolName>, O>(
  state: S,
  shape: RoundShape,
  incoming: readonly unknown[],
  handler: (state: S, inbox: Message[]) => StepResult<S, O>,
): StepResult<S, O> {
  const { inbox, complete } = collect(state, shape, incoming);
  const next = cloneJson(state);
  if (!complete) {
    next.inbox = inbox;
    return { state: next, outgoing: [] };
  }
  next.inbox = [];
  try {
    return handler(next, cloneJson(inbox));
  } catch (err) {
    if (err instanceof PeerFault) {
      return {
        abort: { party: err.party, protocol: state.protocol, round: state.round, check: err.check, reason: err.reason },
      };
    }
    throw err;
  }
}

/**
 * The echo round of reliable broadcast (§5.4): every peer's echoed hash must equal ours, computed
 * over the round's broadcasts as we received them; a mismatch blames that peer.
 */
export function verifyEchoes(peers: readonly number[], self: number, inbox: readonly Message[], own: string, what: string): void {
  for (const j of peers) {
    if (j === self) continue;
    const h = checkFrom(j, "echo", () => bytesToHex(decodeBytes(str(pick(inbox, j, "all").payload, "h"), 32, "h")));
    if (h !== own) throw new PeerFault(j, "echo.mismatch", `echoed ${what} differ from ours`);
  }
}
