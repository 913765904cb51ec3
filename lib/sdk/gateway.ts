/**
 * The gateway SDK (seed 002): ask Countersign before every tool call.
 *
 *   const gw = new GatewayClient({ baseUrl, apiKey: "aeg_…" | agentToken: "eyJ…", agentId: "my-agent" });
 *   const r = await gw.check("db_query", { sql });            // allow | block | pending
 *   const d = await gw.waitForDecision(r.check_id);           // long-polls ?wait=30 until a human decides
 *   const safeQuery = gw.guard("db_query", runQuery);         // throws ToolCallBlockedError unless allowed
 *
 * Isomorphic (fetch only). Errors are seed 002's `{ error: { code, message } }` as GatewayApiError.
 */
export type Decision = "allow" | "block" | "pending";
export type RiskLevel = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
export type Reason = { code: string; decision: Decision; policy_name: string; message: string; hint: string; retry_after?: number; path?: string; signals?: string[] };
export type CheckResult = {
  decision: Decision;
  policy_name: string;
  risk_level: RiskLevel;
  classification: { category: string; signals: string[] };
  anomaly_score: number;
  check_id: string;
  reasons: Reason[];
  expires_at?: string;
  log?: LogRef;
};
/** The verdict's transparency-log leaf: `leaf_index` is null until sequenced (POST /check answers before that). */
export type LogRef = { decision_id: string; leaf_index: number | null; proof: string };
export type DecisionResult = { check_id: string; decision: Decision; decided_by: string | null; decided_at: string | null; policy_name: string; risk_level: RiskLevel; expires_at: string | null; reasons: Reason[]; log?: LogRef };

export type GatewayOptions = {
  baseUrl: string;
  /** An organization key with gateway:check, sent as X-AEGIS-API-Key. */
  apiKey?: string;
  /** An agent token (X-AEGIS-Agent-Token): preferred, it can only act as its own agent. */
  agentToken?: string;
  /** The seed 002 agent_id every call is made for. */
  agentId: string;
  fetch?: typeof fetch;
};

export class GatewayApiError extends Error {
  override name = "GatewayApiError";
  constructor(readonly status: number, readonly code: string, message: string, readonly body: unknown) {
    super(message);
  }
}

/** guard(): the gateway did not allow the call (blocked, or pending and then blocked or not decided in time). */
export class ToolCallBlockedError extends Error {
  override name = "ToolCallBlockedError";
  constructor(readonly decision: Decision, readonly checkId: string, readonly policyName: string, readonly reasons: Reason[]) {
    super(`Tool call ${decision === "pending" ? "still pending" : "blocked"} by ${policyName}${reasons[0] ? `: ${reasons[0].message} (${reasons[0].hint})` : ""}`);
  }
}

export class GatewayClient {
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly opts: GatewayOptions) {
    if (!opts.apiKey && !opts.agentToken) throw new Error("GatewayClient needs an apiKey or an agentToken");
    this.fetchImpl = opts.fetch ?? fetch;
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.opts.agentToken) headers["x-aegis-agent-token"] = this.opts.agentToken;
    else headers["x-aegis-api-key"] = this.opts.apiKey!;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await this.fetchImpl(new URL(path, this.opts.baseUrl).toString(), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new GatewayApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `HTTP ${res.status}`, json);
    }
    return json as T;
  }

  /** POST /api/v1/check: the gateway's verdict on one tool call. */
  check(toolName: string, args: unknown, opts: { agentId?: string; signal?: AbortSignal } = {}): Promise<CheckResult> {
    return this.request<CheckResult>("POST", "/api/v1/check", { agent_id: opts.agentId ?? this.opts.agentId, tool_name: toolName, arguments: args ?? {} }, opts.signal);
  }

  /** GET /api/v1/check/{id}/decision once (wait ≤ 30 s long-polls on the server). */
  decision(checkId: string, waitSeconds = 0, signal?: AbortSignal): Promise<DecisionResult> {
    const q = waitSeconds > 0 ? `?wait=${Math.min(30, Math.ceil(waitSeconds))}` : "";
    return this.request<DecisionResult>("GET", `/api/v1/check/${encodeURIComponent(checkId)}/decision${q}`, undefined, signal);
  }

  /**
   * Waits for a pending check to be decided: long-polls (no busy loop) until allow or block, or until
   * timeoutMs (default 15 min) — then returns the last answer, still pending.
   */
  async waitForDecision(checkId: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<DecisionResult> {
    const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const left = (deadline - Date.now()) / 1000;
      const d = await this.decision(checkId, Math.max(0, Math.min(30, left)), opts.signal);
      if (d.decision !== "pending" || Date.now() >= deadline || opts.signal?.aborted) return d;
    }
  }

  /**
   * GET /api/v1/gateway/agents/{id}/tools: the agent's tool allow-list (names or `prefix*` patterns),
   * or null when it has none (or the organization has not seen the agent yet): every tool allowed.
   */
  async allowedTools(opts: { agentId?: string; signal?: AbortSignal } = {}): Promise<string[] | null> {
    try {
      const r = await this.request<{ allowed_tools: string[] | null }>("GET", `/api/v1/gateway/agents/${encodeURIComponent(opts.agentId ?? this.opts.agentId)}/tools`, undefined, opts.signal);
      return r.allowed_tools;
    } catch (err) {
      if (err instanceof GatewayApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** POST /api/v1/traces: report what a tool call did (201 once stored). */
  trace(t: { tool_name: string; check_id?: string; decision?: Decision; duration_ms?: number; status?: string; input?: unknown; output?: unknown; error?: string; agent_id?: string }) {
    return this.request<{ accepted: number; ids: string[] }>("POST", "/api/v1/traces", { agent_id: t.agent_id ?? this.opts.agentId, ...t });
  }

  /**
   * Wraps a tool so every call is checked first: allow runs it (and traces it), block throws
   * ToolCallBlockedError, pending waits for a human (up to waitMs, default 15 min) and then runs or throws.
   */
  guard<A, R>(toolName: string, tool: (args: A) => Promise<R> | R, opts: { waitMs?: number; trace?: boolean; onPending?: (r: CheckResult) => void } = {}): (args: A) => Promise<R> {
    return async (args: A) => {
      const r = await this.check(toolName, args);
      let decision: Decision = r.decision;
      let reasons = r.reasons;
      let policy = r.policy_name;
      if (decision === "pending") {
        opts.onPending?.(r);
        const d = await this.waitForDecision(r.check_id, { timeoutMs: opts.waitMs });
        decision = d.decision;
        reasons = d.reasons;
        policy = d.policy_name;
      }
      if (decision !== "allow") throw new ToolCallBlockedError(decision, r.check_id, policy, reasons);
      const started = Date.now();
      try {
        const out = await tool(args);
        if (opts.trace !== false) await this.trace({ tool_name: toolName, check_id: r.check_id, decision: "allow", duration_ms: Date.now() - started, status: "ok" }).catch(() => undefined);
        return out;
      } catch (err) {
        if (opts.trace !== false) await this.trace({ tool_name: toolName, check_id: r.check_id, decision: "allow", duration_ms: Date.now() - started, status: "error", error: String((err as Error).message ?? err).slice(0, 1000) }).catch(() => undefined);
        throw err;
      }
    };
  }
}

/** `gateway({ … }).check(…)`, `.guard(…)`, `.waitForDecision(…)`. */
export function gateway(opts: GatewayOptions): GatewayClient {
  return new GatewayClient(opts);
}
