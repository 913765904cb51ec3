import { createProxyServer, DEFAULT_PENDING_WAIT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS } from "@/lib/gateway/mcp/proxy";
import { connectUpstream, type UpstreamSpec } from "@/lib/gateway/mcp/upstream";
import { GatewayClient } from "../../gateway";
import { gatewayChecker } from "../../mcp";
import { str, type Command } from "../command";
import { CliError, EXIT, UsageError } from "../errors";
import { AGENT_TOKEN_ENV, API_KEY_ENV, gatewayCredentials, GATEWAY_ENV_HELP, serveStdio } from "../mcp-common";
import { parseUrl } from "../parse-url";

const seconds = (v: string | undefined, flag: string, fallbackMs: number) => {
  if (v === undefined) return fallbackMs;
  if (!/^\d{1,6}$/.test(v)) throw new UsageError(`${flag} must be a whole number of seconds`, "mcp-proxy");
  return Number(v) * 1000;
};

export const mcpProxyCommand: Command = {
  name: "mcp-proxy",
  summary: "Put Countersign's gateway in front of another MCP server: every tools/call is checked first",
  positionals: [0, 1000],
  options: {
    "base-url": { type: "string" },
    "agent-id": { type: "string" },
    "upstream-url": { type: "string" },
    "allow-tool": { type: "string", multiple: true },
    "pending-wait": { type: "string" },
    "upstream-timeout": { type: "string" },
  },
  help: `Usage: countersign mcp-proxy [options] -- <command> [args…]
       countersign mcp-proxy [options] --upstream-url <url>

An MCP server on stdin/stdout that forwards to another MCP server (a command it spawns over stdio,
or a Streamable HTTP URL). tools/list is the upstream's, filtered by --allow-tool and by the agent's
tool allow-list stored in Countersign (PUT /api/v1/gateway/agents/{id}/tools, the agent's page);
every tools/call goes to Countersign's /check first (a tool outside the stored list is blocked): allow → forwarded; block → an error result naming the reasons;
pending → waits for a human (bounded by --pending-wait), then forwards or refuses. An upstream that
fails answers PROXY_UPSTREAM_FAILED, one that does not answer in time PROXY_UPSTREAM_TIMEOUT.

  --base-url <url>          Countersign server (default: $COUNTERSIGN_BASE_URL)
  --agent-id <id>           The agent the calls are checked for (default: $COUNTERSIGN_AGENT_ID)
  --upstream-url <url>      Upstream over Streamable HTTP instead of a command
  --allow-tool <name>       Only this tool (or \`prefix*\`) is listed and callable (repeat; default: all)
  --pending-wait <s>        Seconds a pending call waits for a reviewer (default ${DEFAULT_PENDING_WAIT_MS / 1000})
  --upstream-timeout <s>    Seconds the upstream has to answer a call (default ${DEFAULT_UPSTREAM_TIMEOUT_MS / 1000})

${GATEWAY_ENV_HELP}`,
  async run({ io, values, positionals }) {
    const baseUrl = str(values["base-url"]) ?? io.env.COUNTERSIGN_BASE_URL;
    if (!baseUrl) throw new UsageError("--base-url (or $COUNTERSIGN_BASE_URL) is required", "mcp-proxy");
    parseUrl(baseUrl, "--base-url");
    const agentId = str(values["agent-id"]) ?? io.env.COUNTERSIGN_AGENT_ID;
    if (!agentId) throw new UsageError("--agent-id (or $COUNTERSIGN_AGENT_ID) is required", "mcp-proxy");
    const upstreamUrl = str(values["upstream-url"]);
    if ((upstreamUrl === undefined) === (positionals.length === 0)) throw new UsageError("Give the upstream either as a command after -- or as --upstream-url", "mcp-proxy");
    if (upstreamUrl) parseUrl(upstreamUrl, "--upstream-url");
    const creds = gatewayCredentials(io);
    if (!creds) throw new CliError(`Set ${AGENT_TOKEN_ENV} or ${API_KEY_ENV}: the proxy needs them to call /check`);
    const allow = values["allow-tool"] as unknown as string[] | undefined;
    const pendingWaitMs = seconds(str(values["pending-wait"]), "--pending-wait", DEFAULT_PENDING_WAIT_MS);
    const upstreamTimeoutMs = seconds(str(values["upstream-timeout"]), "--upstream-timeout", DEFAULT_UPSTREAM_TIMEOUT_MS);

    const spec: UpstreamSpec = upstreamUrl ? { kind: "http", url: upstreamUrl } : { kind: "stdio", command: positionals[0]!, args: positionals.slice(1), stderr: "inherit" };
    let upstream;
    try {
      upstream = await connectUpstream(spec, { timeoutMs: upstreamTimeoutMs });
    } catch (err) {
      throw new CliError(`PROXY_UPSTREAM_FAILED: cannot start the upstream MCP server: ${(err as Error).message}`);
    }
    const proxy = createProxyServer(upstream.client, {
      checker: gatewayChecker(new GatewayClient({ baseUrl, ...creds, agentId, fetch: io.fetch })),
      agentId,
      allowTools: allow && allow.length > 0 ? allow : null,
      pendingWaitMs,
      upstreamTimeoutMs,
      onPending: ({ tool, checkId, expiresAt }) => io.stderr.write(`countersign: ${tool} is pending review (check ${checkId}${expiresAt ? `, expires ${expiresAt}` : ""})\n`),
    });
    await serveStdio(proxy, io, () => upstream.close());
    return EXIT.ok;
  },
};
