import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** Parses a master key given as 64 hex chars or base64 of 32 bytes. */
export function parseMasterKey(text: string): Uint8Array {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return new Uint8Array(Buffer.from(t, "hex"));
  const b = Buffer.from(t, "base64");
  if (b.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(t)) return new Uint8Array(b);
  throw new Error("Master key must be 32 bytes, as 64 hex characters or base64");
}

export type MasterKeySource = { key: Uint8Array; source: "env" | "file" } | { key: null; reason: string };

/** Reads the master key from COUNTERSIGN_MASTER_KEY, else from COUNTERSIGN_MASTER_KEY_FILE. */
export function loadMasterKey(vars: { COUNTERSIGN_MASTER_KEY?: string; COUNTERSIGN_MASTER_KEY_FILE?: string }): MasterKeySource {
  try {
    if (vars.COUNTERSIGN_MASTER_KEY) return { key: parseMasterKey(vars.COUNTERSIGN_MASTER_KEY), source: "env" };
    if (vars.COUNTERSIGN_MASTER_KEY_FILE) return { key: parseMasterKey(readFileSync(vars.COUNTERSIGN_MASTER_KEY_FILE, "utf8")), source: "file" };
  } catch (err) {
    return { key: null, reason: `master key unreadable: ${(err as Error).message}` };
  }
  return { key: null, reason: "no master key configured (COUNTERSIGN_MASTER_KEY or COUNTERSIGN_MASTER_KEY_FILE)" };
}

/**
 * First-run convenience for `npm start`: create a local master key file (mode 0600) in the data
 * directory when none is configured. Production must supply its own key from a secret manager.
 */
export async function ensureLocalMasterKeyFile(dataDir: string): Promise<{ file: string; created: boolean }> {
  const file = path.join(dataDir, "master.key");
  try {
    parseMasterKey(await readFile(file, "utf8"));
    return { file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  await chmod(file, 0o600);
  return { file, created: true };
}
