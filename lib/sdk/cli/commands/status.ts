import { EXIT } from "../errors";
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_HELP, str, type Command } from "../command";
import { openShare } from "../share-store";

export const statusCommand: Command = {
  name: "status",
  summary: "Show the signer: id, name, status, chain and address",
  positionals: [0, 0],
  options: SERVER_OPTIONS,
  help: `Usage: countersign status [options]

Asks the server about this agent's signer.

${SERVER_OPTIONS_HELP}`,
  async run({ io, values }) {
    const { agent } = await openShare(io, { share: str(values.share), baseUrl: str(values["base-url"]) });
    const { signer } = await agent.status();
    if (values.json) printJson(io, { id: signer.id, name: signer.name, status: signer.status, chainId: signer.chainId, address: signer.address });
    else {
      io.stdout.write(
        [`Signer   ${signer.id}`, `Name     ${signer.name}`, `Status   ${signer.status}`, `Chain    ${signer.chainId}`, `Address  ${signer.address ?? "(none yet)"}`].join("\n") + "\n",
      );
    }
    return EXIT.ok;
  },
};
