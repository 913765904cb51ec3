/**
 * How the MCP gateway refuses. A refusal the model should read and adapt to (a policy block, a
 * reviewer's block, a pending call nobody decided in time, the upstream failing or timing out) is a
 * tool result with `isError: true` — what MCP specifies for tool execution errors and what MCP
 * clients show to the model. Its text names the code and every reason; `_meta["countersign/error"]`
 * carries the same as data. Unknown or filtered-out tools are JSON-RPC errors (InvalidParams), as
 * an MCP server answers an unknown tool.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CheckReason, ToolCheckResult } from "./checker";

/** Seed 002's error codes for a proxied call whose upstream failed or did not answer in time. */
export const PROXY_UPSTREAM_FAILED = "PROXY_UPSTREAM_FAILED";
export const PROXY_UPSTREAM_TIMEOUT = "PROXY_UPSTREAM_TIMEOUT";

export type GatewayErrorCode = "TOOL_CALL_BLOCKED" | "TOOL_CALL_PENDING_TIMEOUT" | "GATEWAY_CHECK_FAILED" | typeof PROXY_UPSTREAM_FAILED | typeof PROXY_UPSTREAM_TIMEOUT;

export const ERROR_META_KEY = "countersign/error";

export type GatewayErrorData = { code: GatewayErrorCode; message: string; check_id?: string; decision?: string; decided_by?: string | null; policy_name?: string; risk_level?: string; reasons?: CheckReason[] };

export function errorResult(data: GatewayErrorData): CallToolResult {
  const lines = [`${data.code}: ${data.message}`];
  for (const r of data.reasons ?? []) lines.push(`- ${r.policy_name}: ${r.message}${r.hint ? ` (${r.hint})` : ""}`);
  if (data.check_id) lines.push(`check_id: ${data.check_id}`);
  return { isError: true, content: [{ type: "text", text: lines.join("\n") }], _meta: { [ERROR_META_KEY]: data } };
}

/** The refusal for a verdict that is not allow (block, or still pending after the bounded wait). */
export function refusalFor(tool: string, v: ToolCheckResult): CallToolResult {
  const pending = v.decision === "pending";
  const by = v.decided_by ? ` by ${v.decided_by}` : "";
  return errorResult({
    code: pending ? "TOOL_CALL_PENDING_TIMEOUT" : "TOOL_CALL_BLOCKED",
    message: pending ? `The call to ${tool} is waiting for a human's review and was not decided in time; it was not run` : `Countersign blocked the call to ${tool}${by} (policy ${v.policy_name}, risk ${v.risk_level})`,
    check_id: v.check_id,
    decision: v.decision,
    decided_by: v.decided_by ?? null,
    policy_name: v.policy_name,
    risk_level: v.risk_level,
    reasons: v.reasons,
  });
}
