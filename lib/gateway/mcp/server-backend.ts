/**
 * The server's backend for the /mcp route: the gateway's tools (check, wait_for_decision) in-process
 * for an agent token (its own agent only) or an organization key with gateway:check (the route's
 * permission). The wallet tools (address, balance, transfers, signatures) are not offered here:
 * signing needs the agent's key share, which never reaches the server, and a signer key only
 * co-signs (lib/auth/access-table.ts) — `countersign mcp` serves them on the agent's machine.
 */
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/http/principal";
import { ForbiddenError } from "@/lib/http/errors";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CheckFailedError } from "./checker";
import { dbChecker } from "./db-checker";
import type { CountersignToolsBackend } from "./tools";

export function serverToolsBackend(db: Db, principal: Principal): CountersignToolsBackend {
  let scope: { organizationId: string; tokenAgentId: string | null };
  if (principal.type === "agent") scope = { organizationId: principal.organizationId, tokenAgentId: principal.agentId };
  else if (principal.type === "credential") scope = { organizationId: principal.organizationId, tokenAgentId: null };
  else throw new ForbiddenError("The MCP gateway needs an agent token or an API key with the \"gateway:check\" scope");
  const checker = dbChecker(db, scope);
  const failure = (err: unknown): never => {
    if (err instanceof CheckFailedError) throw new McpError(err.status === 404 ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest, err.message);
    throw err;
  };
  return {
    async check(c) {
      const agentId = c.agent_id ?? scope.tokenAgentId;
      if (!agentId) throw new McpError(ErrorCode.InvalidParams, "agent_id is required with an organization API key");
      return checker.check({ agent_id: agentId, tool_name: c.tool_name, arguments: c.arguments }).catch(failure);
    },
    waitForDecision: (id, timeoutMs) => checker.waitForDecision(id, { timeoutMs: Math.min(timeoutMs, 30_000) }).catch(failure),
  };
}
