import type { ParseArgsConfig } from "node:util";
import type { CliIo } from "./io";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | undefined>;

export type CommandContext = { io: CliIo; values: OptionValues; positionals: string[] };

export type Command = {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  options: OptionSpecs;
  /** Asks the server to co-sign: a 403 then means "refused" (exit 3). */
  signs?: boolean;
  /** Positional arguments accepted: [min, max]. */
  positionals: [number, number];
  run(ctx: CommandContext): Promise<number>;
};

/** Flags every command that talks to the server accepts. */
export const SERVER_OPTIONS: OptionSpecs = {
  share: { type: "string" },
  "base-url": { type: "string" },
  json: { type: "boolean" },
};

export const SERVER_OPTIONS_HELP = `  --share <path>      Share file to use (default: $COUNTERSIGN_SHARE_FILE, else ~/.config/countersign/share.json)
  --base-url <url>    Countersign server to talk to (default: the baseUrl stored in the share file)
  --json              Print JSON instead of text
  -h, --help          Show this help

The passphrase comes from $COUNTERSIGN_SHARE_PASSPHRASE, or is asked for on the terminal.`;

export const str = (v: string | boolean | undefined): string | undefined => (typeof v === "string" ? v : undefined);

export const printJson = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
