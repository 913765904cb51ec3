/**
 * The server's backend for the /mcp route: what a credential may do, served in-process. A signer's
 * API key reads its signer (get_address, get_balance); an agent token, or an organization key with
 * gateway:check, asks the gateway (check, wait_for_decision). Transfers and signatures are not
 * offered here: they need the agent's key share, which never reaches the server — they are served
 * by `countersign mcp` on the agent's machine.
 */
import { nativeBalance } from "@/lib/chain/signer-chain";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/http/principal";
import { ForbiddenError } from "@/lib/http/errors";
import { getSigner } from "@/lib/signing/signers";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CheckFailedError } from "./checker";
import { dbChecker } from "./db-checker";
import type { CountersignToolsBackend } from "./tools";

export function serverToolsBackend(db: Db, principal: Principal): CountersignToolsBackend {
  if (principal.type === "credential" && principal.credential.kind === "signer_key" && principal.credential.subjectId) {
    const { organizationId } = principal;
    const signerId = principal.credential.subjectId;
    return {
      async getAddress() {
        const s = await getSigner(db, organizationId, signerId);
        return { signer_id: s.id, name: s.name, address: s.address, chain_id: s.chainId, status: s.status };
      },
      async getBalance() {
        const b = await nativeBalance(db, await getSigner(db, organizationId, signerId));
        return { address: b.address, chain_id: b.chainId, balance: b.balance, formatted: b.formatted, symbol: b.symbol };
      },
    };
  }
  let scope: { organizationId: string; tokenAgentId: string | null };
  if (principal.type === "agent") scope = { organizationId: principal.organizationId, tokenAgentId: principal.agentId };
  else if (principal.type === "credential" && (principal.credential.scopes.includes("gateway:check") || principal.credential.scopes.includes("*"))) scope = { organizationId: principal.organizationId, tokenAgentId: null };
  else throw new ForbiddenError('The MCP gateway needs a signer key, an agent token, or an API key with the "gateway:check" scope');
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
