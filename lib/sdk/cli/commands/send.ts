import { createPublicClient, http, type Hex, type TransactionReceipt } from "viem";
import { CliError, EXIT, UsageError } from "../errors";
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_HELP, str, type Command } from "../command";
import { parseUrl } from "../parse-url";
import { parseAddress, parseEtherAmount, parseHexData } from "../parse-values";
import { serverGet } from "../server-get";
import { openShare, type OpenedShare } from "../share-store";

type Network = { chainId: number; rpcUrl: string };

async function waitForReceipt(opened: OpenedShare, chainId: number, hash: Hex, rpcOverride: string | undefined): Promise<TransactionReceipt> {
  let rpcUrl = rpcOverride;
  if (!rpcUrl) {
    const { networks } = await serverGet<{ networks: Network[] }>(opened, "/api/v1/networks");
    rpcUrl = networks.find((n) => n.chainId === chainId)?.rpcUrl;
    if (!rpcUrl) throw new CliError(`The server lists no RPC URL for chain ${chainId}; pass --rpc-url`);
  }
  const client = createPublicClient({ transport: http(rpcUrl) });
  return client.waitForTransactionReceipt({ hash, pollingInterval: 500, timeout: 180_000 });
}

export const sendCommand: Command = {
  name: "send",
  summary: "Sign (agent + server) and broadcast a transaction",
  signs: true,
  positionals: [0, 0],
  options: { ...SERVER_OPTIONS, to: { type: "string" }, value: { type: "string" }, data: { type: "string" }, wait: { type: "boolean" }, "rpc-url": { type: "string" } },
  help: `Usage: countersign send --to <address> [--value <ether>] [--data 0x..] [--wait] [options]

Asks the server to co-sign a transaction from the signer's address (Signer+Server), checks that the
server's transaction and digest are exactly what was asked for, runs the agent's signing party and
prints the transaction hash once the network accepted it. The server fills nonce, gas and fees and
applies the signer's guardrails: a refusal prints each violation and exits with code 3.

  --to <address>      Recipient or contract
  --value <ether>     Amount in ether, e.g. 0.5 (default 0)
  --data <0x..>       Calldata
  --wait              Wait for the receipt (RPC URL from the server's network list)
  --rpc-url <url>     RPC to read the receipt from with --wait
${SERVER_OPTIONS_HELP}`,
  async run({ io, values }) {
    const toText = str(values.to);
    if (!toText) throw new UsageError("send needs --to <address>", "send");
    const to = parseAddress(toText, "--to");
    const valueText = str(values.value);
    const value = valueText === undefined ? 0n : parseEtherAmount(valueText, "--value");
    const dataText = str(values.data);
    const data = dataText === undefined ? undefined : parseHexData(dataText, "--data");
    const rpcUrl = str(values["rpc-url"]);
    if (rpcUrl !== undefined) parseUrl(rpcUrl, "--rpc-url");

    const opened = await openShare(io, { share: str(values.share), baseUrl: str(values["base-url"]) });
    const sent = await opened.agent.sendTransaction({ to, value, data });
    // The transaction is out: its hash is printed (text) or carried in any error, whatever waiting does.
    if (!values.json) io.stdout.write(`${sent.txHash}\n`);
    let receipt: TransactionReceipt | undefined;
    if (values.wait) {
      try {
        receipt = await waitForReceipt(opened, sent.chainId, sent.txHash, rpcUrl);
      } catch (err) {
        throw new CliError(`Sent ${sent.txHash}, but waiting for its receipt failed: ${(err as Error).message}`);
      }
    }
    if (values.json) {
      printJson(io, { ...sent, ...(receipt ? { receipt: { status: receipt.status, blockNumber: receipt.blockNumber.toString(), gasUsed: receipt.gasUsed.toString() } } : {}) });
    } else if (receipt) {
      io.stdout.write(`${receipt.status === "success" ? "Confirmed" : "Reverted"} in block ${receipt.blockNumber}\n`);
    }
    if (receipt && receipt.status !== "success") {
      io.stderr.write(`Transaction ${sent.txHash} reverted\n`);
      return EXIT.error;
    }
    return EXIT.ok;
  },
};
