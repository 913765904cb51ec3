/**
 * `countersign`: the agent's command line. runCli is pure apart from its `io`, so tests drive it
 * in-process; bin/countersign.mjs wires it to the real process.
 */
import { parseArgs } from "node:util";
import { ApprovalRejectedError, CountersignApiError } from "../agent";
import type { Command, OptionValues } from "./command";
import { agentCommand } from "./commands/agent";
import { balanceCommand } from "./commands/balance";
import { identityCommand } from "./commands/identity";
import { importCommand } from "./commands/import";
import { joinCommand } from "./commands/join";
import { mcpCommand } from "./commands/mcp";
import { mcpProxyCommand } from "./commands/mcp-proxy";
import { sendCommand } from "./commands/send";
import { signMessageCommand } from "./commands/sign-message";
import { statusCommand } from "./commands/status";
import { verifyCommand } from "./commands/verify";
import { witnessCommand } from "./commands/witness";
import { CliError, EXIT, UsageError } from "./errors";
import type { CliIo } from "./io";
import { parseUrl } from "./parse-values";

export const COMMANDS: readonly Command[] = [joinCommand, importCommand, statusCommand, agentCommand, balanceCommand, sendCommand, signMessageCommand, verifyCommand, mcpCommand, mcpProxyCommand, witnessCommand, identityCommand];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: countersign <command> [options]

The Countersign agent CLI: holds the agent's encrypted key share and signs with the server (2-of-3).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

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

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command ${JSON.stringify(name)}`);
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
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`countersign: ${err.message}\nRun \`countersign ${err.command ? `${err.command} ` : ""}--help\` for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof CountersignApiError) return printApiError(io, err, COMMANDS.some((c) => c.name === argv[0] && c.signs));
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
