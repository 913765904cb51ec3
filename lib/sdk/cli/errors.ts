/** Exit codes and the errors that carry them. */
export const EXIT = { ok: 0, error: 1, usage: 2, refused: 3, interrupted: 130 } as const;

/** Bad invocation: unknown command or flag, missing or malformed argument. Exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** A failure the CLI explains in one line, with its exit code. */
export class CliError extends Error {
  override name = "CliError";
  constructor(message: string, readonly exitCode: number = EXIT.error) {
    super(message);
  }
}
