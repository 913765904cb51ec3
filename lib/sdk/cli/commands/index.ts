/**
 * Every command of the CLI, in the order `countersign --help` lists them. A command's module (and
 * what it imports: the MPC code, viem, the MCP server) is loaded only when that command runs or the
 * full usage is printed, so `countersign join` does not pay for the others' start-up.
 */
import type { Command } from "../command";

export type CommandEntry = { name: string; load: () => Promise<Command> };

export const COMMAND_ENTRIES: readonly CommandEntry[] = [
  { name: "join", load: async () => (await import("./join")).joinCommand },
  { name: "import", load: async () => (await import("./import")).importCommand },
  { name: "status", load: async () => (await import("./status")).statusCommand },
  { name: "agent", load: async () => (await import("./agent")).agentCommand },
  { name: "balance", load: async () => (await import("./balance")).balanceCommand },
  { name: "send", load: async () => (await import("./send")).sendCommand },
  { name: "sign-message", load: async () => (await import("./sign-message")).signMessageCommand },
  { name: "verify", load: async () => (await import("./verify")).verifyCommand },
  { name: "mcp", load: async () => (await import("./mcp")).mcpCommand },
  { name: "mcp-proxy", load: async () => (await import("./mcp-proxy")).mcpProxyCommand },
  { name: "witness", load: async () => (await import("./witness")).witnessCommand },
  { name: "identity", load: async () => (await import("./identity")).identityCommand },
];

/** Every command loaded (for the full usage and for tests). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_ENTRIES.map((e) => e.load()));
}
