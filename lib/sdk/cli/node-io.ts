/** The real process: files on disk, the terminal prompt, global fetch. */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CliIo } from "./io";
import { promptHidden } from "./prompt";

export function nodeIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readFile: (path) => readFile(path, "utf8"),
    async writeFile(path, data, { mode }) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, data, { mode });
      // writeFile's mode applies only when it creates the file; an existing file keeps its old mode.
      await chmod(path, mode);
    },
    prompt: (question) => promptHidden(question),
    ...overrides,
  };
}
