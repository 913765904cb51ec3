import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface AgentJoin {
  child: ChildProcess;
  shareFile: string;
  passphrase: string;
  /** Resolves when the CLI exits: its exit code and everything it printed. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * The agent's side of key generation in its own process, as an operator would run it:
 * `countersign join <invitation>` (bin/countersign.mjs), writing its encrypted share file into a
 * fresh directory (COUNTERSIGN_SHARE_FILE, HOME) under COUNTERSIGN_SHARE_PASSPHRASE.
 */
export function spawnAgentJoin(invitation: string, opts: { passphrase?: string; extraArgs?: string[] } = {}): AgentJoin {
  const dir = mkdtempSync(path.join(tmpdir(), "countersign-agent-"));
  const shareFile = path.join(dir, "share.json");
  const passphrase = opts.passphrase ?? "agent e2e passphrase 42";
  const child = spawn(process.execPath, [path.join(repoRoot, "bin", "countersign.mjs"), "join", invitation, ...(opts.extraArgs ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: "", HOME: dir, COUNTERSIGN_SHARE_FILE: shareFile, COUNTERSIGN_SHARE_PASSPHRASE: passphrase, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.on("error", (err) => resolve({ code: -1, stdout, stderr: `${stderr}\n${String(err)}` }));
  });
  return { child, shareFile, passphrase, exited };
}
