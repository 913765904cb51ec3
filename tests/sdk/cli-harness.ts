/** Drives runCli in-process with real files in a temp dir and captured output. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeIo } from "@/lib/sdk/cli/node-io";
import { runCli } from "@/lib/sdk/cli/run";
import type { CliIo } from "@/lib/sdk/cli/io";

export const PASSPHRASE = "test passphrase for the agent share";

const homes: string[] = [];

export async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "countersign-cli-"));
  homes.push(home);
  return home;
}

export async function removeTempHomes(): Promise<void> {
  await Promise.all(homes.splice(0).map((h) => rm(h, { recursive: true, force: true })));
}

export type CliRun = { code: number; stdout: string; stderr: string };

export function cli(home: string, opts: { fetch?: typeof fetch; env?: Record<string, string | undefined>; prompt?: CliIo["prompt"] } = {}) {
  return async (...argv: string[]): Promise<CliRun> => {
    let stdout = "";
    let stderr = "";
    const io = nodeIo({
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { HOME: home, COUNTERSIGN_SHARE_PASSPHRASE: PASSPHRASE, ...opts.env },
      fetch: opts.fetch,
      prompt: opts.prompt ?? (() => Promise.reject(new Error("prompt must not be reached in this test"))),
    });
    const code = await runCli(argv, io);
    return { code, stdout, stderr };
  };
}
