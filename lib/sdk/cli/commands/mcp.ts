import { createCountersignToolsServer } from "@/lib/gateway/mcp/tools";
import { CountersignAgent } from "../../agent";
import { GatewayClient } from "../../gateway";
import { gatewayChecker, localToolsBackend } from "../../mcp";
import { decryptShareFile } from "../../share-file";
import { str, type Command } from "../command";
import { EXIT, UsageError } from "../errors";
import { gatewayCredentials, GATEWAY_ENV_HELP, serveStdio } from "../mcp-common";
import { readPassphrase, readTextFile, shareFilePath } from "../share-store";

export const mcpCommand: Command = {
  name: "mcp",
  summary: "Serve Countersign's tools (address, balance, transfers, signatures, check) to an MCP client over stdio",
  positionals: [0, 0],
  options: { share: { type: "string" }, "base-url": { type: "string" }, "agent-id": { type: "string" }, "approval-wait": { type: "string" } },
  help: `Usage: countersign mcp [options]

An MCP server on stdin/stdout (for Claude Desktop and other MCP clients) with the tools get_address,
get_balance, propose_transfer, sign_message, sign_typed_data and wait_for_approval, all with this
share's signer: the server applies its guardrails before it co-signs; a request a rule parks for a
human answers pending_approval (the agent waits with wait_for_approval while this process keeps
waiting and signs once approved). With gateway credentials it also offers check and
wait_for_decision (the tool-call gateway).

  --share <path>           Share file (default: $COUNTERSIGN_SHARE_FILE, else ~/.config/countersign/share.json)
  --base-url <url>         Countersign server (default: the share file's)
  --agent-id <id>          Agent that check decides for (default: the signer's agent)
  --approval-wait <s>      Seconds a signing tool waits for a human before answering pending_approval (default 30)

The passphrase must come from $COUNTERSIGN_SHARE_PASSPHRASE (stdin carries the protocol).
${GATEWAY_ENV_HELP}`,
  async run({ io, values }) {
    const wait = str(values["approval-wait"]);
    if (wait !== undefined && !/^\d{1,4}$/.test(wait)) throw new UsageError("--approval-wait must be a whole number of seconds", "mcp");
    const path = shareFilePath(io, str(values.share));
    const file = await decryptShareFile(await readTextFile(io, path, "share file", " (run `countersign import <file>` first)"), await readPassphrase(io));
    const baseUrl = str(values["base-url"]) ?? file.baseUrl;
    const fetchFn = io.fetch ?? globalThis.fetch.bind(globalThis);
    const agentFor = (onPendingApproval: ConstructorParameters<typeof CountersignAgent>[0]["onPendingApproval"]) =>
      new CountersignAgent({ baseUrl, apiKey: file.apiKey, share: file.share, signerId: file.signerId, chainId: file.chainId, ...(file.identity ? { identity: file.identity } : {}), profile: file.securityProfile, fetch: fetchFn, onPendingApproval });
    const creds = gatewayCredentials(io);
    const explicitAgent = str(values["agent-id"]);
    const backend = localToolsBackend({
      agent: (onPending) =>
        agentFor((p) => {
          io.stderr.write(`Waiting for approval (signing request ${p.signingRequestId}, expires ${p.expiresAt})\n`);
          onPending(p);
        }),
      async balance() {
        const res = await fetchFn(new URL("/api/v1/signer/balance", baseUrl), { headers: { "x-api-key": file.apiKey } });
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        if (!res.ok) throw new Error(`Countersign answered ${res.status}: ${body.message ?? ""}`);
        return body as never;
      },
      ...(creds ? { checker: gatewayChecker(new GatewayClient({ baseUrl, ...creds, agentId: explicitAgent ?? "", fetch: fetchFn })) } : {}),
      async agentId() {
        if (explicitAgent) return explicitAgent;
        const { agent } = await agentFor(undefined).status();
        if (!agent) throw new Error("This signer belongs to no agent: pass --agent-id");
        return agent.identifiers.aegisAgentId ?? agent.id;
      },
      approvalWaitMs: wait === undefined ? undefined : Number(wait) * 1000,
    });
    await serveStdio(createCountersignToolsServer(backend), io);
    return EXIT.ok;
  },
};
