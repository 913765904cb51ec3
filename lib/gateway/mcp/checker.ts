/**
 * What the MCP gateway needs of /check: decide one tool call, and wait (bounded) for a human on a
 * pending one. Two implementations: `gatewayChecker` (lib/sdk/mcp.ts: the agent's side, the SDK's
 * GatewayClient over POST /api/v1/check and GET /api/v1/check/{id}/decision?wait=N) and `dbChecker`
 * (db-checker.ts: the server's side, the engine of lib/gateway/checks.ts in-process, for /mcp).
 */
export type CheckDecision = "allow" | "block" | "pending";

export type CheckReason = { code: string; decision: string; policy_name: string; message: string; hint: string; risk_level?: string; retry_after?: number; path?: string; signals?: string[] };

export type ToolCheckResult = {
  decision: CheckDecision;
  check_id: string;
  policy_name: string;
  risk_level: string;
  reasons: CheckReason[];
  /** Pending only: when the check turns into a block if nobody decides. */
  expires_at?: string | null;
  decided_by?: string | null;
};

export type ToolCallInput = { agent_id: string; tool_name: string; arguments: unknown };

export type ToolCallChecker = {
  check(input: ToolCallInput): Promise<ToolCheckResult>;
  /** The latest verdict once it is no longer pending, or the pending one after `timeoutMs`. */
  waitForDecision(checkId: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ToolCheckResult>;
  /** The agent's tool allow-list stored in Countersign (names or `prefix*` patterns); null: none. */
  allowedTools?(agentId: string): Promise<readonly string[] | null>;
};

/** /check answered something else than a verdict (401, 403, 5xx, unreachable). */
export class CheckFailedError extends Error {
  override name = "CheckFailedError";
  constructor(message: string, readonly status: number | null, readonly code: string | null) {
    super(message);
  }
}
