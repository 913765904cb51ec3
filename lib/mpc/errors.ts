/** Typed errors shared by the MPC building blocks and the protocols built on them. */

export class MpcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value received from outside failed strict decoding (length, range, canonical form). */
export class EncodingError extends MpcError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A zero-knowledge proof was rejected; `check` names the verifier check that failed. */
export class ProofError extends MpcError {
  constructor(
    readonly proof: string,
    readonly check: string,
    detail?: string,
  ) {
    super(`${proof} rejected: ${check}${detail ? ` (${detail})` : ""}`);
  }
}

/** Invalid arguments or parameters supplied by the local caller (not by a peer). */
export class ParameterError extends MpcError {}

/** Paillier key, encryption or decryption failure. */
export class PaillierError extends MpcError {}

/** Safe-prime generation was cancelled through its AbortSignal. */
export class PrimeGenerationAborted extends MpcError {
  constructor() {
    super("safe-prime generation aborted");
  }
}

/** Who misbehaved and why; `check` carries the ProofError check name when a proof failed. */
export interface Blame {
  party: number;
  reason: string;
  check?: string;
}

/** A protocol aborted and identified the parties responsible. */
export class BlameError extends MpcError {
  constructor(readonly blame: readonly Blame[]) {
    super(
      `protocol aborted, blamed: ${blame
        .map((b) => `party ${b.party} (${b.reason}${b.check ? `: ${b.check}` : ""})`)
        .join(", ")}`,
    );
  }
}

/** Build a Blame entry from any error raised while checking a party's message. */
export function blameFrom(party: number, reason: string, err: unknown): Blame {
  if (err instanceof ProofError) return { party, reason, check: `${err.proof}.${err.check}` };
  if (err instanceof EncodingError) return { party, reason, check: `decode.${err.field}` };
  return { party, reason };
}
