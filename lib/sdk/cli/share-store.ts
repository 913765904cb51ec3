/** Where the imported share file lives, how the passphrase is obtained, and an SDK client built from both. */
import { join } from "node:path";
import type { CountersignAgent } from "../agent";
import type { DecryptedShareFile } from "../share-file";
import { CliError } from "./errors";
import type { CliIo } from "./io";

export const PASSPHRASE_ENV = "COUNTERSIGN_SHARE_PASSPHRASE";
export const SHARE_FILE_ENV = "COUNTERSIGN_SHARE_FILE";

/** `--share`, then $COUNTERSIGN_SHARE_FILE, then ~/.config/countersign/share.json. */
export function shareFilePath(io: CliIo, explicit: string | undefined): string {
  if (explicit) return explicit;
  const fromEnv = io.env[SHARE_FILE_ENV];
  if (fromEnv) return fromEnv;
  const home = io.env.HOME ?? io.env.USERPROFILE;
  if (!home) throw new CliError(`Cannot find the home directory: pass --share or set ${SHARE_FILE_ENV}`);
  return join(home, ".config", "countersign", "share.json");
}

/** The passphrase never comes from argv (it would land in shell history and `ps`). */
export async function readPassphrase(io: CliIo): Promise<string> {
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  const typed = await io.prompt("Share file passphrase: ");
  if (!typed) throw new CliError("Empty passphrase");
  return typed;
}

export async function readTextFile(io: CliIo, path: string, what: string, hint = ""): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`No ${what} at ${path}${hint}`);
    throw new CliError(`Cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

export type OpenedShare = { file: DecryptedShareFile; baseUrl: string; fetch: typeof fetch; agent: CountersignAgent };

export async function openShare(io: CliIo, opts: { share?: string; baseUrl?: string }): Promise<OpenedShare> {
  const path = shareFilePath(io, opts.share);
  const text = await readTextFile(io, path, "share file", " (run `countersign import <file>` first)");
  // Loaded here, not at the top: `join` uses this module's paths without paying for the signing code.
  const [{ decryptShareFile }, { CountersignAgent }] = await Promise.all([import("../share-file"), import("../agent")]);
  const file = await decryptShareFile(text, await readPassphrase(io));
  const baseUrl = opts.baseUrl ?? file.baseUrl;
  const fetchFn = io.fetch ?? globalThis.fetch.bind(globalThis);
  const agent = new CountersignAgent({
    baseUrl,
    apiKey: file.apiKey,
    share: file.share,
    ...(file.identity ? { identity: file.identity } : {}),
    profile: file.securityProfile,
    fetch: fetchFn,
    // One command, at most one session: nonces computed ahead would only delay the exit.
    precomputeNonces: 0,
    // A guardrail rule asked for a human: say so (stderr keeps --json output clean) and wait.
    onPendingApproval: (p) => {
      io.stderr.write(`Waiting for approval (signing request ${p.signingRequestId}, expires ${p.expiresAt})\n`);
      for (const reason of p.reasons) io.stderr.write(`  ${reason}\n`);
    },
  });
  return { file, baseUrl, fetch: fetchFn, agent };
}
