/**
 * Standalone local EVM devnet: `npx tsx tools/devnet.ts [--port 8545] [--data-dir DIR] [--chain-id 31337]`.
 * Starts anvil on 127.0.0.1, deploys the Safe v1.5.0 contracts at their canonical addresses,
 * prints how to use it, and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startDevnet } from "@/lib/chain/devnet";
import { DevnetStartError } from "@/lib/chain/errors";
import { deploySafeContracts } from "@/lib/safe/deploy";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    "data-dir": { type: "string" },
    "chain-id": { type: "string", default: "31337" },
  },
});

function positiveInteger(value: string, flag: string, allowZero = false): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < (allowZero ? 0 : 1)) {
    console.error(`${flag} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${value}"`);
    process.exit(2);
  }
  return parsed;
}

const devnet = await startDevnet({
  port: positiveInteger(values.port, "--port", true),
  chainId: positiveInteger(values["chain-id"], "--chain-id"),
  ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof DevnetStartError && /address already in use/i.test(error.stderr)) {
    console.error(`Port ${values.port} is taken; pass --port 0 to use any free port.`);
  }
  process.exit(1);
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`\n${signal} received, stopping devnet${devnet.stateFile ? ` (saving state to ${devnet.stateFile})` : ""}...`);
  await devnet.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
devnet.process.once("exit", (code, signal) => {
  if (shuttingDown) return;
  console.error(`anvil exited unexpectedly (code ${code}, signal ${signal})`);
  process.exit(1);
});

try {
  const safe = await deploySafeContracts(devnet.rpcUrl);
  const funded = devnet.fundedAccounts[0]!;
  console.log(
    [
      "Countersign local devnet is running",
      `  RPC URL   ${devnet.rpcUrl}`,
      `  Chain ID  ${devnet.chainId}`,
      `  State     ${devnet.stateFile ?? "in memory (pass --data-dir to keep it across restarts)"}`,
      "",
      "Funded account — DEV ONLY: this key comes from the public test mnemonic; never use it on a real network",
      `  Address      ${funded.address}`,
      `  Private key  ${funded.privateKey}`,
      `  (${devnet.fundedAccounts.length} such accounts: mnemonic "test test ... junk", path m/44'/60'/0'/0/i)`,
      "",
      "Safe v1.5.0 contracts",
      ...Object.entries(safe).map(([name, address]) => `  ${name.padEnd(30)} ${address}`),
      "",
      "Press Ctrl+C to stop.",
    ].join("\n"),
  );
} catch (error) {
  console.error("Safe contract deployment failed:", error);
  await devnet.stop();
  process.exit(1);
}
