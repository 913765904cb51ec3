/**
 * What the MCP gateway needs of /check: decide one tool call, and wait (bounded) for a human on a
 * pending one. Two implementations: `httpChecker` (the agent's side: POST /api/v1/check and
 * GET /api/v1/check/{id}/decision?wait=N) and `dbChecker` (db-checker.ts: the server's side, the
 * engine of lib/gateway/checks.ts called in-process by the /mcp route).
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
};

/** /check answered something else than a verdict (401, 403, 5xx, unreachable). */
export class CheckFailedError extends Error {
  override name = "CheckFailedError";
  constructor(message: string, readonly status: number | null, readonly code: string | null) {
    super(message);
  }
}

export type HttpCheckerOptions = {
  baseUrl: string;
  /** Credentials: { "x-aegis-agent-token": … } (an agent token) or { "x-api-key": … } (an organization key with gateway:check). */
  headers: Record<string, string>;
  fetch?: typeof fetch;
};

/** Each long-poll asks for at most this many seconds (the route's bound). */
const MAX_WAIT_SECONDS = 30;

export function httpChecker(opts: HttpCheckerOptions): ToolCallChecker {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(new URL(path, opts.baseUrl), {
        method,
        headers: { ...opts.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw new CheckFailedError(`Countersign is unreachable at ${opts.baseUrl}: ${(err as Error).message}`, null, null);
    }
    const json = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
    if (!res.ok || json === null) {
      const e = json?.error;
      throw new CheckFailedError(`Countersign answered ${res.status}${e?.message ? `: ${e.message}` : ""}`, res.status, e?.code ?? null);
    }
    return json;
  }
  return {
    check: (input) => call<ToolCheckResult>("POST", "/api/v1/check", { agent_id: input.agent_id, tool_name: input.tool_name, arguments: input.arguments ?? {} }),
    async waitForDecision(checkId, { timeoutMs, signal }) {
      const deadline = Date.now() + Math.max(0, timeoutMs);
      for (;;) {
        const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
        const v = await call<ToolCheckResult>("GET", `/api/v1/check/${encodeURIComponent(checkId)}/decision?wait=${wait}`, undefined, signal);
        if (v.decision !== "pending" || Date.now() >= deadline || signal?.aborted) return v;
      }
    },
  };
}
