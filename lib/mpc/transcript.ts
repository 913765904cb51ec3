/**
 * Versioned, injective transcript encoding, XOF and challenge samplers (spec §2.5 rules 1-4)
 * plus execution-id derivation (§2.6).
 *
 * Encoding: every value is `type (1 byte) ‖ payload length (u32 BE) ‖ payload`. Lists and structs
 * carry their element count and are built from such self-delimiting items, so the encoding is
 * prefix-free and therefore injective.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { bitLength, fromBytesBE, gcd, toBytesBE } from "./bigint";
import { encodePoint, encodeScalar, q, type Point } from "./curve";
import { ParameterError } from "./errors";
import { PROTOCOL_VERSION } from "./params";

export type TValue =
  | { readonly t: "bytes"; readonly v: Uint8Array }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "int"; readonly v: bigint }
  | { readonly t: "scalar"; readonly v: bigint }
  | { readonly t: "point"; readonly v: Point }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "none" }
  | { readonly t: "list"; readonly v: readonly TValue[] }
  | { readonly t: "struct"; readonly v: readonly TField[] };

export type TField = readonly [name: string, value: TValue];

/** Constructors for transcript values. */
export const T = {
  bytes: (v: Uint8Array): TValue => ({ t: "bytes", v }),
  str: (v: string): TValue => ({ t: "str", v }),
  int: (v: bigint | number): TValue => ({ t: "int", v: BigInt(v) }),
  scalar: (v: bigint): TValue => ({ t: "scalar", v }),
  point: (v: Point): TValue => ({ t: "point", v }),
  bool: (v: boolean): TValue => ({ t: "bool", v }),
  none: (): TValue => ({ t: "none" }),
  list: (v: readonly TValue[]): TValue => ({ t: "list", v }),
  ints: (v: readonly bigint[]): TValue => ({ t: "list", v: v.map((x) => T.int(x)) }),
  points: (v: readonly Point[]): TValue => ({ t: "list", v: v.map((x) => T.point(x)) }),
  struct: (v: readonly TField[]): TValue => ({ t: "struct", v }),
  optional: (v: TValue | undefined): TValue => v ?? { t: "none" },
};

const TYPE_CODE = {
  bytes: 0x01,
  str: 0x02,
  int: 0x03,
  scalar: 0x04,
  point: 0x05,
  bool: 0x06,
  none: 0x07,
  list: 0x08,
  struct: 0x09,
} as const;

function u32(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new ParameterError(`length ${n} does not fit u32`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function magnitude(v: bigint): Uint8Array {
  return toBytesBE(v < 0n ? -v : v);
}

function payload(value: TValue): Uint8Array[] {
  switch (value.t) {
    case "bytes":
      return [value.v];
    case "str":
      return [utf8ToBytes(value.v)];
    case "int":
      return [Uint8Array.of(value.v < 0n ? 1 : 0), magnitude(value.v)];
    case "scalar":
      return [encodeScalar(value.v, "transcript scalar")];
    case "point":
      return [encodePoint(value.v, "transcript point")];
    case "bool":
      return [Uint8Array.of(value.v ? 1 : 0)];
    case "none":
      return [];
    case "list":
      return [u32(value.v.length), ...value.v.map(encodeValue)];
    case "struct":
      return [
        u32(value.v.length),
        ...value.v.flatMap(([name, v]) => [encodeValue(T.str(name)), encodeValue(v)]),
      ];
  }
}

/** Injective byte encoding of a transcript value. */
export function encodeValue(value: TValue): Uint8Array {
  const body = concatBytes(...payload(value));
  return concatBytes(Uint8Array.of(TYPE_CODE[value.t]), u32(body.length), body);
}

/** SHA-256 over the encoding of (protocol version, tag, value): 32-byte domain-separated digest. */
export function hashTagged(tag: string, value: TValue): Uint8Array {
  return sha256(
    encodeValue(
      T.struct([
        ["protocol", T.str(PROTOCOL_VERSION)],
        ["tag", T.str(tag)],
        ["value", value],
      ]),
    ),
  );
}

const XOF_TAG = `${PROTOCOL_VERSION}/xof`;

/**
 * Deterministic byte stream: block_c = SHA-256(Enc(xof-tag, c as u64, seed)), c = 0, 1, …
 * Samplers consume the stream in order, so the same seed always yields the same challenges.
 */
export class Xof {
  private counter = 0n;
  private buffer: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private bitByte = 0;
  private bitsLeft = 0;
  private template: Uint8Array | null = null;
  private counterOffset = 0;

  constructor(private readonly seed: Uint8Array) {}

  private nextBlock(): Uint8Array {
    if (!this.template) {
      // Encode once with a zero counter, then patch the 8 counter bytes for each block.
      // Layout: struct header (5) ‖ count (4) ‖ "tag" ‖ tag ‖ "counter" ‖ bytes header (5) ‖ counter.
      this.template = encodeValue(
        T.struct([
          ["tag", T.str(XOF_TAG)],
          ["counter", T.bytes(new Uint8Array(8))],
          ["seed", T.bytes(this.seed)],
        ]),
      );
      this.counterOffset =
        9 + encodeValue(T.str("tag")).length + encodeValue(T.str(XOF_TAG)).length + encodeValue(T.str("counter")).length + 5;
    }
    new DataView(this.template.buffer, this.template.byteOffset).setBigUint64(this.counterOffset, this.counter);
    this.counter += 1n;
    return sha256(this.template);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.pos >= this.buffer.length) {
        this.buffer = this.nextBlock();
        this.pos = 0;
      }
      const take = Math.min(n - filled, this.buffer.length - this.pos);
      out.set(this.buffer.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
    }
    return out;
  }

  /** Uniform integer in [0, M): draw ⌈bits(M)/8⌉ bytes, mask excess top bits, reject ≥ M. */
  uniformBelow(M: bigint): bigint {
    if (M <= 0n) throw new ParameterError("uniformBelow bound must be positive");
    const bits = bitLength(M);
    const nBytes = Math.ceil(bits / 8);
    const excess = nBytes * 8 - bits;
    const topMask = 0xff >> excess;
    for (;;) {
      const b = this.bytes(nBytes);
      b[0] = (b[0] ?? 0) & topMask;
      const v = fromBytesBE(b);
      if (v < M) return v;
    }
  }

  /** e ∈ Z_q. */
  scalar(): bigint {
    return this.uniformBelow(q);
  }

  /** e ∈ ±q, i.e. [−(q−1)/2, (q−1)/2]. */
  symmetricQ(): bigint {
    return this.uniformBelow(q) - (q - 1n) / 2n;
  }

  /** e ∈ ±2^ℓ, i.e. [−2^(ℓ−1), 2^(ℓ−1)]. */
  symmetricPow2(ell: number): bigint {
    return this.uniformBelow((1n << BigInt(ell)) + 1n) - (1n << BigInt(ell - 1));
  }

  /** Element of Z*_N: uniformBelow(N) repeated until gcd(y, N) = 1. */
  unitBelow(N: bigint): bigint {
    for (;;) {
      const y = this.uniformBelow(N);
      if (y !== 0n && gcd(y, N) === 1n) return y;
    }
  }

  /** Next bit of the stream (most significant bit of each byte first). */
  bit(): 0 | 1 {
    if (this.bitsLeft === 0) {
      this.bitByte = this.bytes(1)[0] ?? 0;
      this.bitsLeft = 8;
    }
    this.bitsLeft -= 1;
    return ((this.bitByte >> this.bitsLeft) & 1) as 0 | 1;
  }

  bits(m: number): (0 | 1)[] {
    return Array.from({ length: m }, () => this.bit());
  }
}

/**
 * Shared state bound into every proof challenge (§2.5 rule 4). `verifier` is null for proofs that
 * are broadcast unchanged to all parties (Π^prm, Π^mod, Π^elog, keygen Schnorr); `context` carries
 * the label's extra fields (rid, rho, num, hat, prime) in a fixed order chosen by the caller.
 */
export interface SharedState {
  readonly sid: Uint8Array;
  readonly prover: number;
  readonly verifier: number | null;
  readonly label: string;
  readonly context?: readonly TField[];
}

export function sharedStateValue(ss: SharedState): TValue {
  return T.struct([
    ["protocol", T.str(PROTOCOL_VERSION)],
    ["sid", T.bytes(ss.sid)],
    ["prover", T.int(ss.prover)],
    ["verifier", ss.verifier === null ? T.none() : T.int(ss.verifier)],
    ["label", T.str(ss.label)],
    ["context", T.struct(ss.context ?? [])],
  ]);
}

/** Challenge stream for a proof: XOF seeded with H(tag, {shared state, fields…}). */
export function challengeXof(proofTag: string, ss: SharedState, fields: readonly TField[]): Xof {
  return new Xof(hashTagged(`challenge/${proofTag}`, T.struct([["shared", sharedStateValue(ss)], ...fields])));
}

export interface SidParticipant {
  readonly index: number;
  readonly identityKey: Uint8Array;
}

export interface SidInput {
  readonly protocol: "dkg" | "aux" | "sign";
  /** keyId for signing/aux on an existing key, clusterId for a fresh DKG. */
  readonly keyId: string;
  readonly participants: readonly SidParticipant[];
  readonly serverNonce: Uint8Array;
  readonly clientNonce: Uint8Array;
  /** Signing only: the 32-byte message hash and the ascending signer set (keygen indices). */
  readonly messageHash?: Uint8Array;
  readonly signers?: readonly number[];
}

const MIN_NONCE_BYTES = 16;

/** sid = H(Enc("cggmp24-ts/v1/sid", …)) per §2.6; validates ordering and sizes so peers agree. */
export function deriveSid(input: SidInput): Uint8Array {
  const { participants, signers } = input;
  if (participants.length < 2) throw new ParameterError("sid needs at least two participants");
  for (let k = 1; k < participants.length; k++) {
    if ((participants[k]?.index ?? -1) <= (participants[k - 1]?.index ?? -1)) {
      throw new ParameterError("participants must be sorted by strictly ascending index");
    }
  }
  if (input.serverNonce.length < MIN_NONCE_BYTES || input.clientNonce.length < MIN_NONCE_BYTES) {
    throw new ParameterError(`nonces must be at least ${MIN_NONCE_BYTES} bytes`);
  }
  const isSign = input.protocol === "sign";
  if (isSign !== (input.messageHash !== undefined) || isSign !== (signers !== undefined)) {
    throw new ParameterError("messageHash and signers are required for signing and only for signing");
  }
  if (input.messageHash && input.messageHash.length !== 32) throw new ParameterError("messageHash must be 32 bytes");
  if (signers) {
    const known = new Set(participants.map((p) => p.index));
    for (let k = 0; k < signers.length; k++) {
      const s = signers[k] ?? -1;
      if (!known.has(s)) throw new ParameterError(`signer ${s} is not a participant`);
      if (k > 0 && s <= (signers[k - 1] ?? -1)) throw new ParameterError("signers must be strictly ascending");
    }
  }
  return sha256(
    encodeValue(
      T.struct([
        ["tag", T.str(`${PROTOCOL_VERSION}/sid`)],
        ["protocol", T.str(input.protocol)],
        ["keyId", T.str(input.keyId)],
        [
          "participants",
          T.list(participants.map((p) => T.struct([["index", T.int(p.index)], ["identityKey", T.bytes(p.identityKey)]]))),
        ],
        ["serverNonce", T.bytes(input.serverNonce)],
        ["clientNonce", T.bytes(input.clientNonce)],
        ["messageHash", T.optional(input.messageHash && T.bytes(input.messageHash))],
        ["signers", T.optional(signers && T.list(signers.map((s) => T.int(s))))],
      ]),
    ),
  );
}
