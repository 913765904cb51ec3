import { decryptShareFile, parseShareFile } from "../../share-file";
import { CliError, EXIT, UsageError } from "../errors";
import { printJson, str, type Command } from "../command";
import type { CliIo } from "../io";
import { readPassphrase, readTextFile, shareFilePath } from "../share-store";

/** The signer id already stored at `path`, if any; an unreadable or foreign file counts as occupied. */
async function storedSignerId(io: CliIo, path: string): Promise<string | null> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    return parseShareFile(text).signerId;
  } catch {
    return "(not a share file)";
  }
}

export const importCommand: Command = {
  name: "import",
  summary: "Check an encrypted share file's passphrase and store it for the other commands",
  positionals: [1, 1],
  options: { share: { type: "string" }, force: { type: "boolean" }, json: { type: "boolean" } },
  help: `Usage: countersign import <encrypted-share-file> [--share <path>] [--force]

Decrypts the share file downloaded from the dashboard to check the passphrase, then stores it
(still encrypted) with mode 0600 where the other commands look for it.

  --share <path>   Where to store it (default: $COUNTERSIGN_SHARE_FILE, else ~/.config/countersign/share.json)
  --force          Replace a stored share of a different signer
  --json           Print JSON instead of text
  -h, --help       Show this help

The passphrase comes from $COUNTERSIGN_SHARE_PASSPHRASE, or is asked for on the terminal.`,
  async run({ io, values, positionals }) {
    const [source] = positionals;
    if (source === undefined) throw new UsageError("import needs the path of the downloaded share file", "import");
    const file = parseShareFile(await readTextFile(io, source, "share file"));
    const opened = await decryptShareFile(file, await readPassphrase(io));
    const target = shareFilePath(io, str(values.share));
    const existing = await storedSignerId(io, target);
    if (existing !== null && existing !== file.signerId && !values.force) {
      throw new CliError(`${target} already holds signer ${existing}; pass --force to replace it`);
    }
    await io.writeFile(target, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    const summary = { signerId: opened.signerId, address: opened.address, chainId: opened.chainId, baseUrl: opened.baseUrl, path: target };
    if (values.json) printJson(io, summary);
    else io.stdout.write(`Imported signer ${summary.signerId} (${summary.address}, chain ${summary.chainId}, ${summary.baseUrl})\nStored at ${target}\n`);
    return EXIT.ok;
  },
};
