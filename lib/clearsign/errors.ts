/** Errors raised by the ERC-7730 clear-signing engine. */

export class ClearSignError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A descriptor file is malformed, cannot be read, or references something it does not define. */
export class DescriptorError extends ClearSignError {}

/** A path expression (`#.`, `$.`, `@.` or relative) is malformed or does not resolve. */
export class PathError extends ClearSignError {}

/** Calldata or a raw transaction could not be decoded. */
export class DecodeError extends ClearSignError {}

/** No display format in the descriptor matches the call's selector. */
export class FormatNotFoundError extends ClearSignError {}

/** A field could not be rendered with its declared format (wrong value type, failed `mustMatch`, ...). */
export class FieldFormatError extends ClearSignError {}

/** A data-provider file or CLI argument is invalid. */
export class InputError extends ClearSignError {}
