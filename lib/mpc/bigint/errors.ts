/** Base class for every error thrown by the big-integer layer. */
export class BigIntArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Thrown when an inverse modulo m is requested for a value that shares a factor with m. */
export class NotInvertibleError extends BigIntArithmeticError {}

/** Thrown when a modulus is zero, negative, or otherwise unusable for the operation. */
export class InvalidModulusError extends BigIntArithmeticError {}

/** Thrown for malformed arguments (negative lengths, mismatched arrays, bad hex, ...). */
export class InvalidArgumentError extends BigIntArithmeticError {}

/** Thrown when a backend is requested that cannot run on this platform. */
export class BackendUnavailableError extends BigIntArithmeticError {}
