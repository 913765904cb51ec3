import { isHex, type Hex } from "viem";
import { signAgentRequest, signAgentRequestEd25519 } from "@/lib/identity/sign";
import { signMetaVerify } from "@/lib/demo/meta-verify";
import { printJson, str, type Command, type CommandContext } from "../command";
import { EXIT, UsageError } from "../errors";
import { parseUrl } from "../parse-url";
import { parseAddress } from "../parse-values";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/**
 * `countersign identity sign <url>`: the seed 003 x-self-agent-* headers for one request, signed
 * with the agent's identity key, as curl -H arguments (or JSON with --json); --send makes the
 * request and prints the answer.
 */
export const identityCommand: Command = {
  name: "identity",
  summary: "Sign a request as an on-chain agent identity (x-self-agent-* headers, seed 003)",
  positionals: [1, 2],
  options: {
    method: { type: "string", short: "X" },
    data: { type: "string", short: "d" },
    "key-file": { type: "string" },
    ed25519: { type: "boolean" },
    send: { type: "boolean" },
    json: { type: "boolean" },
    verifier: { type: "string" },
    "chain-id": { type: "string" },
    nonce: { type: "string" },
    deadline: { type: "string" },
    "network-id": { type: "string" },
  },
  help: `Usage: countersign identity sign <url> [-X METHOD] [-d BODY] [--key-file <path>] [--ed25519] [--send] [--json]
       countersign identity meta-verify --verifier <address> --chain-id <id> [--nonce N] [--deadline UNIX_S] [--network-id ID] [--key-file <path>] [--ed25519]

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
  -h, --help          Show this help

meta-verify prints the JSON body of POST /api/demo/chain-verify (or /chain-verify-ed25519 with
--ed25519): the EIP-712 MetaVerify{agentKey, nonce, deadline} message of the demo verifier contract
(domain AgentDemoVerifier/1, --chain-id, --verifier) signed with the agent's identity key. Send it
signed with \`identity sign <url>/api/demo/chain-verify -d "$BODY" --send\`.

  --verifier <a>      The AgentDemoVerifier contract (the dashboard's Demo page shows it)
  --chain-id <id>     Its chain
  --nonce <n>         The agent's next nonce on the verifier (default 0; it counts the agent's verifications)
  --deadline <s>      Unix seconds after which the contract refuses it (default: in 10 minutes)
  --network-id <id>   networkId of the body (e.g. celo-sepolia; default: the agent's own chain)`,
  async run(ctx) {
    const { values, positionals } = ctx;
    const [sub, url] = positionals as [string, string | undefined];
    if (sub === "meta-verify") return metaVerify(ctx);
    if (sub !== "sign") throw new UsageError(`Unknown identity subcommand ${JSON.stringify(sub)} (expected "sign" or "meta-verify")`, "identity");
    const { io } = ctx;
    if (url === undefined) throw new UsageError("identity sign needs <url>", "identity");
    parseUrl(url, "<url>");
    const body = str(values.data);
    const method = (str(values.method) ?? (body === undefined ? "GET" : "POST")).toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")}`, "identity");
    const key = await identityKey(ctx);
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

async function identityKey({ io, values }: CommandContext): Promise<Hex> {
  const keyFile = str(values["key-file"]);
  const key = (keyFile ? await io.readFile(keyFile) : io.env.COUNTERSIGN_IDENTITY_KEY ?? "").trim();
  if (!key) throw new UsageError("No identity key: pass --key-file or set COUNTERSIGN_IDENTITY_KEY", "identity");
  if (!isHex(key) || key.length !== 66) throw new UsageError("The identity key must be 32 bytes as 0x-prefixed hex", "identity");
  return key as Hex;
}

function uint(text: string | undefined, flag: string, fallback: bigint): bigint {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,30}$/.test(text)) throw new UsageError(`${flag} must be a non-negative integer`, "identity");
  return BigInt(text);
}

/** `countersign identity meta-verify`: the signed body of POST /api/demo/chain-verify(-ed25519). */
async function metaVerify(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const verifierText = str(values.verifier);
  if (!verifierText) throw new UsageError("meta-verify needs --verifier <address>", "identity");
  const verifier = parseAddress(verifierText, "--verifier");
  const chainId = uint(str(values["chain-id"]), "--chain-id", 0n);
  if (chainId === 0n) throw new UsageError("meta-verify needs --chain-id <id>", "identity");
  const key = await identityKey(ctx);
  const body = await signMetaVerify(key, {
    chainId: Number(chainId),
    verifier,
    nonce: uint(str(values.nonce), "--nonce", 0n),
    deadline: uint(str(values.deadline), "--deadline", BigInt(Math.floor(Date.now() / 1000) + 600)),
    ed25519: values.ed25519 === true,
    networkId: str(values["network-id"]),
  });
  io.stdout.write(`${JSON.stringify(body)}\n`);
  return EXIT.ok;
}
