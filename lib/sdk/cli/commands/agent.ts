import { EXIT } from "../errors";
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_HELP, str, type Command } from "../command";
import { openShare } from "../share-store";

export const agentCommand: Command = {
  name: "agent",
  summary: "Show the agent this signer belongs to: name, status (paused?) and its identifiers",
  positionals: [0, 0],
  options: SERVER_OPTIONS,
  help: `Usage: countersign agent [options]

Asks the server for the agent record (the Agent registry) of this share's signer: whether it is
active or paused, and its identifiers in other systems (Signet SID, AEGIS agent_id, on-chain id).

${SERVER_OPTIONS_HELP}`,
  async run({ io, values }) {
    const { agent } = await openShare(io, { share: str(values.share), baseUrl: str(values["base-url"]) });
    const { agent: record } = await agent.status();
    if (values.json) {
      printJson(io, record ?? null);
      return EXIT.ok;
    }
    if (!record) {
      io.stdout.write("This signer belongs to no agent (the server predates the Agent registry).\n");
      return EXIT.ok;
    }
    const ids = record.identifiers;
    const lines = [
      `Agent    ${record.id}`,
      `Name     ${record.name}`,
      `Status   ${record.status}${record.status === "paused" && record.pausedAt ? ` (since ${record.pausedAt}; signing is refused)` : ""}`,
      ...(ids.signetSid ? [`Signet   ${ids.signetSid}`] : []),
      ...(ids.aegisAgentId ? [`AEGIS    ${ids.aegisAgentId}`] : []),
      ...(ids.onchain ? [`On-chain ${ids.onchain.agentId} on chain ${ids.onchain.chainId}`] : []),
      ...(ids.agentAddress ? [`Address  ${ids.agentAddress}`] : []),
    ];
    io.stdout.write(lines.join("\n") + "\n");
    return EXIT.ok;
  },
};
