import type { Hex, TypedDataDefinition } from "viem";
import { CliError, EXIT, UsageError } from "../errors";
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_HELP, str, type Command } from "../command";
import { parseHexData } from "../parse-values";
import { openShare, readTextFile } from "../share-store";

function parseTypedData(text: string, path: string): TypedDataDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not JSON`);
  }
  const t = value as Record<string, unknown> | null;
  if (!t || typeof t !== "object" || typeof t.types !== "object" || typeof t.primaryType !== "string" || typeof t.message !== "object") {
    throw new CliError(`${path} must hold EIP-712 typed data: { domain, types, primaryType, message }`);
  }
  return { domain: t.domain ?? {}, types: t.types, primaryType: t.primaryType, message: t.message } as TypedDataDefinition;
}

export const signMessageCommand: Command = {
  name: "sign-message",
  summary: "Sign an EIP-191 message or EIP-712 typed data (agent + server)",
  signs: true,
  positionals: [0, 1],
  options: { ...SERVER_OPTIONS, "typed-data": { type: "string" }, hex: { type: "boolean" } },
  help: `Usage: countersign sign-message <text> [options]
       countersign sign-message --hex <0x..bytes> [options]
       countersign sign-message --typed-data <file.json> [options]

Signs a personal message (EIP-191) or typed data (EIP-712, a JSON file with domain, types,
primaryType and message) with the signer's key, co-signed by the server, and prints
{ v, r, s, signature } as JSON.

  --hex               Treat <text> as raw bytes in hex
  --typed-data <file> Sign this EIP-712 document instead of a message
${SERVER_OPTIONS_HELP}`,
  async run({ io, values, positionals }) {
    const typedPath = str(values["typed-data"]);
    const text = positionals[0];
    let request: { typedData: TypedDataDefinition } | { message: string | { raw: Hex } };
    if (typedPath !== undefined) {
      if (text !== undefined) throw new UsageError("Pass either a message or --typed-data, not both", "sign-message");
      if (values.hex) throw new UsageError("--hex applies to a message, not to --typed-data", "sign-message");
      request = { typedData: parseTypedData(await readTextFile(io, typedPath, "typed data file"), typedPath) };
    } else if (text !== undefined) {
      request = { message: values.hex ? { raw: parseHexData(text, "With --hex, the message") } : text };
    } else {
      throw new UsageError("sign-message needs <text> or --typed-data <file.json>", "sign-message");
    }

    const { agent } = await openShare(io, { share: str(values.share), baseUrl: str(values["base-url"]) });
    const signed = "typedData" in request ? await agent.signTypedData(request.typedData) : await agent.signMessage(request.message);
    const { v, r, s, signature } = signed;
    printJson(io, { v, r, s, signature });
    return EXIT.ok;
  },
};
