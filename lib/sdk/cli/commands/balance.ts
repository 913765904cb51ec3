import { EXIT } from "../errors";
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_HELP, str, type Command } from "../command";
import { serverGet } from "../server-get";
import { openShare } from "../share-store";

type Balance = { address: string; chainId: number; balance: string; formatted: string; symbol: string };

export const balanceCommand: Command = {
  name: "balance",
  summary: "Show the signer's native balance",
  positionals: [0, 0],
  options: SERVER_OPTIONS,
  help: `Usage: countersign balance [options]

Prints the native-currency balance of the signer's address, as the server reads it from the chain.

${SERVER_OPTIONS_HELP}`,
  async run({ io, values }) {
    const opened = await openShare(io, { share: str(values.share), baseUrl: str(values["base-url"]) });
    const b = await serverGet<Balance>(opened, "/api/v1/signer/balance");
    if (values.json) printJson(io, b);
    else io.stdout.write(`${b.formatted} ${b.symbol}\n${b.address} on chain ${b.chainId} (${b.balance} wei)\n`);
    return EXIT.ok;
  },
};
