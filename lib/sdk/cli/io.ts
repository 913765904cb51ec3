/** Everything the CLI touches outside itself, so runCli can be driven in-process by tests. */
export type Output = { write(text: string): unknown };

export type CliIo = {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Used for every call to the Countersign server; defaults to the global fetch. */
  fetch?: typeof fetch;
  readFile(path: string): Promise<string>;
  /** Must create missing parent directories and leave the file with exactly `mode`. */
  writeFile(path: string, data: string, opts: { mode: number }): Promise<void>;
  /** Asks for a secret without echoing it; rejects when there is no terminal to ask on. */
  prompt(question: string): Promise<string>;
};
