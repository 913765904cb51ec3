/**
 * `countersign`: the agent's command line. runCli is pure apart from its `io`, so tests drive it
 * in-process; bin/countersign.mjs wires it to the real process.
 */
import { parseArgs } from "node:util";
import { ApprovalRejectedError, CountersignApiError } from "../errors";
import type { Command, OptionValues } from "./command";
import { COMMAND_ENTRIES, loadAllCommands } from "./commands";
import { CliError, EXIT, UsageError } from "./errors";
import type { CliIo } from "./io";
import { parseUrl } from "./parse-url";

export async function usage(): Promise<string> {
  const commands = await loadAllCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: countersign <command> [options]

The Countersign agent CLI: holds the agent's encrypted key share and signs with the server (2-of-3).

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run \`countersign <command> --help\` for a command's options.
Exit codes: 0 ok, 1 error, 2 usage, 3 refused by policy.
`;
}

/** A 403 from a signing command is the server refusing to co-sign (guardrails, paused signer): exit 3. */
function printApiError(io: CliIo, err: CountersignApiError, signing: boolean): number {
  const refused = signing && err.status === 403;
  io.stderr.write(`${refused ? "Refused" : `Server error ${err.status}`}: ${err.body.message ?? err.message}\n`);
  for (const v of err.body.violations ?? []) {
    const kind = v.type ?? (v as { field?: string }).field ?? "violation";
    io.stderr.write(`  ${kind}: ${v.message}\n`);
  }
  return refused ? EXIT.refused : EXIT.error;
}

function parseCommandArgs(command: Command, args: string[]): { values: OptionValues; positionals: string[] } {
  try {
    return parseArgs({ args, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, command.name);
  }
}

async function dispatch(argv: readonly string[], io: CliIo, running: { command?: Command }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(await usage());
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await usage());
    return EXIT.ok;
  }
  const entry = COMMAND_ENTRIES.find((c) => c.name === name);
  if (!entry) throw new UsageError(`Unknown command ${JSON.stringify(name)}`);
  const command = (running.command = await entry.load());
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help) {
    io.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(max === 0 ? `${name} takes no arguments` : `${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${positionals.length}`, name);
  }
  const baseUrl = values["base-url"];
  if (typeof baseUrl === "string") parseUrl(baseUrl, "--base-url");
  return command.run({ io, values, positionals });
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const running: { command?: Command } = {};
  try {
    return await dispatch(argv, io, running);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`countersign: ${err.message}\nRun \`countersign ${err.command ? `${err.command} ` : ""}--help\` for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof CountersignApiError) return printApiError(io, err, running.command?.signs === true);
    if (err instanceof ApprovalRejectedError) {
      io.stderr.write(`Refused: ${err.message}\n`);
      return EXIT.refused;
    }
    if (err instanceof CliError) {
      io.stderr.write(`countersign: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`countersign: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}
