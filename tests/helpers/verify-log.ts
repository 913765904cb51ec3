import { spawn } from "node:child_process";
import path from "node:path";

const VERIFY = path.resolve("tools/verify-log/verify.mjs");

/** Runs tools/verify-log/verify.mjs as its own process with plain node (no loader, no packages). */
export function runVerifier(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [VERIFY, ...args], { env: { PATH: process.env.PATH ?? "" } as unknown as NodeJS.ProcessEnv });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code: code ?? -1, out: out.trim() }));
  });
}
