/** The server's ToolCallChecker: the gateway engine in-process (used by the /mcp route and tests). */
import type { Db } from "@/lib/db/client";
import { runCheck, waitForDecision, type CheckView } from "@/lib/gateway/checks";
import { getAgentTools } from "@/lib/gateway/agent-tools";
import { ApiError, NotFoundError } from "@/lib/http/errors";
import { CheckFailedError, type ToolCallChecker, type ToolCheckResult } from "./checker";

function result(v: CheckView): ToolCheckResult {
  return { decision: v.decision, check_id: v.check_id, policy_name: v.policy_name, risk_level: v.risk_level, reasons: v.reasons, expires_at: v.expires_at, decided_by: v.decided_by };
}

/** `tokenAgentId`: with an agent token, calls may only be checked for that agent (403 otherwise). */
export function dbChecker(db: Db, scope: { organizationId: string; tokenAgentId: string | null }): ToolCallChecker {
  const checker: ToolCallChecker = {
    async check(input) {
      const { view } = await runCheck(db, { organizationId: scope.organizationId, agentRef: input.agent_id, toolName: input.tool_name, arguments: input.arguments ?? {}, tokenAgentId: scope.tokenAgentId });
      return result(view);
    },
    async waitForDecision(checkId, { timeoutMs, signal }) {
      const deadline = Date.now() + Math.max(0, timeoutMs);
      for (;;) {
        const seconds = Math.min(30, Math.max(0, (deadline - Date.now()) / 1000));
        const v = await waitForDecision(db, scope.organizationId, checkId, seconds, scope.tokenAgentId, signal);
        if (v.decision !== "pending" || Date.now() >= deadline || signal?.aborted) return result(v);
      }
    },
    async allowedTools(agentId) {
      try {
        return (await getAgentTools(db, scope.organizationId, agentId, scope.tokenAgentId)).allowed_tools;
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
  };
  // The engine's refusals (403 another agent's token, 404 unknown check, …) are check failures, as over HTTP.
  const typed = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await f(...a);
    } catch (err) {
      if (err instanceof ApiError) throw new CheckFailedError(err.message, err.status, null);
      throw err;
    }
  };
  return { check: typed(checker.check), waitForDecision: typed(checker.waitForDecision), allowedTools: typed(checker.allowedTools!) };
}
