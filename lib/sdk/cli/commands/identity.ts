import { isHex, type Hex } from "viem";
import { signAgentRequest, signAgentRequestEd25519 } from "@/lib/identity/sign";
import { printJson, str, type Command } from "../command";
import { EXIT, UsageError } from "../errors";
import { parseUrl } from "../parse-values";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/**
 * `countersign identity sign <url>`: the seed 003 x-self-agent-* headers for one request, signed
 * with the agent's identity key, as curl -H arguments (or JSON with --json); --send makes the
 * request and prints the answer.
 */
export const identityCommand: Command = {
  name: "identity",
  summary: "Sign a request as an on-chain agent identity (x-self-agent-* headers, seed 003)",
  positionals: [2, 2],
  options: { method: { type: "string", short: "X" }, data: { type: "string", short: "d" }, "key-file": { type: "string" }, ed25519: { type: "boolean" }, send: { type: "boolean" }, json: { type: "boolean" } },
  help: `Usage: countersign identity sign <url> [-X METHOD] [-d BODY] [--key-file <path>] [--ed25519] [--send] [--json]

Signs keccak256(timestamp + METHOD + path?query + keccak256(body)) with the agent's identity key:
EIP-191 for an EVM key (default), Ed25519 with --ed25519. Prints the x-self-agent-address,
x-self-agent-signature and x-self-agent-timestamp headers (Ed25519 adds x-self-agent-keytype and
x-self-agent-key) as curl -H arguments; --json prints them as JSON; --send makes the request with them
(and Content-Type: application/json when there is a body) and prints the status and response body.
The signature is valid for 5 minutes and once.

  -X, --method <m>    HTTP method (default GET, or POST when there is a body)
  -d, --data <body>   Request body, exactly as sent
  --key-file <path>   File holding the private key as 0x hex (default: $COUNTERSIGN_IDENTITY_KEY)
  --ed25519           The key is a 32-byte Ed25519 seed
  --send              Send the request and print the answer
  --json              Print JSON
  -h, --help          Show this help`,
  async run({ io, values, positionals }) {
    const [sub, url] = positionals as [string, string];
    if (sub !== "sign") throw new UsageError(`Unknown identity subcommand ${JSON.stringify(sub)} (expected "sign")`, "identity");
    parseUrl(url, "<url>");
    const body = str(values.data);
    const method = (str(values.method) ?? (body === undefined ? "GET" : "POST")).toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")}`, "identity");
    const keyFile = str(values["key-file"]);
    const key = (keyFile ? await io.readFile(keyFile) : io.env.COUNTERSIGN_IDENTITY_KEY ?? "").trim();
    if (!key) throw new UsageError("No identity key: pass --key-file or set COUNTERSIGN_IDENTITY_KEY", "identity");
    if (!isHex(key) || key.length !== 66) throw new UsageError("The identity key must be 32 bytes as 0x-prefixed hex", "identity");
    const input = { method, url, body: body ?? null };
    const headers = values.ed25519 ? signAgentRequestEd25519(key as Hex, input) : await signAgentRequest(key as Hex, input);
    if (values.send) {
      const res = await (io.fetch ?? fetch)(url, { method, headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      if (values.json) printJson(io, { status: res.status, body: text });
      else io.stdout.write(`${res.status}\n${text}\n`);
      return res.ok ? EXIT.ok : EXIT.error;
    }
    if (values.json) printJson(io, headers);
    else io.stdout.write(`${Object.entries(headers).map(([k, v]) => `-H '${k}: ${v}'`).join(" ")}\n`);
    return EXIT.ok;
  },
};
