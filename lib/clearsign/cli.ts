import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isAddress } from "viem";
import { StaticDataProvider } from "./data-provider";
import { loadDescriptorFile } from "./descriptor-file";
import { renderRawTransaction } from "./engine";
import { ClearSignError, InputError } from "./errors";
import { loadRegistryDirectory } from "./registry-fs";

export const CLI_USAGE = `usage: npm run clearsign -- --descriptor <file> --tx <rawTx> [--from <address>] [--data-provider <file>] [--registry <dir>]

Renders a transaction with an ERC-7730 descriptor and prints {intent, owner, fields, interpolatedIntent} as JSON.
  --descriptor     descriptor file (its "includes" are resolved relative to it)
  --tx             unsigned serialized transaction, 0x-prefixed hex (EIP-1559 or legacy)
  --from           signer address, for descriptors that read @.from
  --data-provider  JSON file shaped like a tests file's dataProvider (tokens, addressNames, ensNames,
                   nftCollectionNames, blockTimestamps)
  --registry       directory of descriptors used to render nested calls (calldata fields)`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read ${what} file ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what} file ${file} is not valid JSON`);
  }
}

/** The clear-sign CLI without process side effects: exit code 0 ok, 1 rendering failed, 2 bad usage. */
export async function runClearsignCli(argv: string[]): Promise<CliResult> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        descriptor: { type: "string" },
        tx: { type: "string" },
        from: { type: "string" },
        "data-provider": { type: "string" },
        registry: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { code: 2, stdout: "", stderr: `error: ${(error as Error).message}\n${CLI_USAGE}\n` };
  }
  if (values.help) return { code: 0, stdout: `${CLI_USAGE}\n`, stderr: "" };
  const descriptorFile = values.descriptor;
  const rawTx = values.tx;
  if (typeof descriptorFile !== "string" || typeof rawTx !== "string") {
    return { code: 2, stdout: "", stderr: `error: --descriptor and --tx are required\n${CLI_USAGE}\n` };
  }
  const from = values.from;
  if (typeof from === "string" && !isAddress(from, { strict: false })) {
    return { code: 2, stdout: "", stderr: `error: --from is not an address: ${from}\n` };
  }
  try {
    const descriptor = loadDescriptorFile(descriptorFile);
    const providerFile = values["data-provider"];
    const provider = typeof providerFile === "string" ? StaticDataProvider.fromJson(readJsonFile(providerFile, "data provider")) : undefined;
    const registryDir = values.registry;
    const lookup = typeof registryDir === "string" ? loadRegistryDirectory(registryDir) : undefined;
    const output = await renderRawTransaction(descriptor, rawTx, {
      from: typeof from === "string" ? from : undefined,
      provider,
      lookup,
    });
    return { code: 0, stdout: `${JSON.stringify(output, null, 2)}\n`, stderr: "" };
  } catch (error) {
    const message = error instanceof ClearSignError ? error.message : `unexpected failure: ${(error as Error).message}`;
    return { code: 1, stdout: "", stderr: `error: ${message}\n` };
  }
}
