import { joinSigner, type JoinProgress } from "../../join";
import { InvitationFormatError, decodeInvitation } from "@/lib/signing/e2e";
import { CliError, EXIT, UsageError } from "../errors";
import { printJson, str, type Command } from "../command";
import type { CliIo } from "../io";
import { PASSPHRASE_ENV, shareFilePath } from "../share-store";

/** What is stored at `path` already: null when nothing, else a description for the refusal. */
async function occupant(io: CliIo, path: string): Promise<string | null> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  const { parseShareFile } = await import("../../share-file");
  try {
    return `signer ${parseShareFile(text).signerId}`;
  } catch {
    return "a file that is not a share file";
  }
}

/** The passphrase of the new share file: the environment, or asked twice on the terminal. */
async function newPassphrase(io: CliIo): Promise<string> {
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  const first = await io.prompt("Passphrase for the new share file: ");
  if (!first) throw new CliError("Empty passphrase");
  const again = await io.prompt("Repeat the passphrase: ");
  if (again !== first) throw new CliError("The passphrases differ");
  return first;
}

function describe(e: JoinProgress): string {
  switch (e.stage) {
    case "joining":
      return `Joining key generation ${e.ceremonyId} at ${e.baseUrl}`;
    case "joined":
      return `Joined signer "${e.signerName}" (${e.signerId}, chain ${e.chainId}, profile ${e.profile})`;
    case "primes":
      return e.done === 0 ? `Generating 4 safe primes of ${e.bits} bits (this can take a minute)` : `  prime ${e.done} of ${e.total} ready`;
    case "keygen":
      return `  ${e.protocol} round ${e.round}`;
    case "confirming":
      return "Confirming the public key with the server";
    case "done":
      return `Key generation complete: address ${e.address}`;
  }
}

export const joinCommand: Command = {
  name: "join",
  summary: "Run the agent's party of a new signer's key generation and store its encrypted share",
  positionals: [1, 1],
  options: { share: { type: "string" }, force: { type: "boolean" }, json: { type: "boolean" } },
  help: `Usage: countersign join <invitation> [--share <path>] [--force] [--json]

Joins the key generation of a signer being created in the dashboard, with the invitation the
New signer wizard shows (cs-join:v1:…, usable once). The agent's party runs here, on this
machine: it generates its own safe primes, exchanges end-to-end encrypted messages with your
browser through the server, and confirms the public key. The agent's share and the signer's API
key are then written, encrypted under your passphrase, where the other commands look for them.
Neither the browser nor the server ever sees the agent's share.

  --share <path>   Where to write the share file (default: $COUNTERSIGN_SHARE_FILE, else ~/.config/countersign/share.json)
  --force          Replace an existing share file there
  --json           Print the result as JSON (progress goes to stderr either way)
  -h, --help       Show this help

The passphrase comes from $COUNTERSIGN_SHARE_PASSPHRASE, or is asked for (twice) on the terminal
before anything is sent to the server.`,
  async run({ io, values, positionals }) {
    const [text] = positionals;
    if (text === undefined) throw new UsageError("join needs the invitation shown by the dashboard", "join");
    try {
      decodeInvitation(text);
    } catch (err) {
      if (err instanceof InvitationFormatError) throw new UsageError(err.message, "join");
      throw err;
    }
    // Everything that can fail locally fails before the one-time invitation is used.
    const target = shareFilePath(io, str(values.share));
    const existing = await occupant(io, target);
    if (existing !== null && !values.force) throw new CliError(`${target} already holds ${existing}; pass --force to replace it, or --share <path> to write elsewhere`);
    const passphrase = await newPassphrase(io);

    const result = await joinSigner(text, { fetch: io.fetch, onProgress: (e) => io.stderr.write(`${describe(e)}\n`) });
    // The share file's module (viem, for the address check) is loaded only now: off the key generation's start-up.
    const { encryptShareFile } = await import("../../share-file");
    const file = await encryptShareFile(
      { share: result.share, identity: result.identity, apiKey: result.apiKey, signerId: result.signerId, address: result.address, chainId: result.chainId, baseUrl: result.baseUrl, profile: result.profile },
      passphrase,
    );
    await io.writeFile(target, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    const summary = { signerId: result.signerId, address: result.address, chainId: result.chainId, baseUrl: result.baseUrl, path: target };
    if (values.json) printJson(io, summary);
    else io.stdout.write(`Joined signer ${summary.signerId} (${summary.address}, chain ${summary.chainId}, ${summary.baseUrl})\nShare stored at ${target}\n`);
    return EXIT.ok;
  },
};
