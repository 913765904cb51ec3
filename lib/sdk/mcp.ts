/**
 * The agent-side backend of `countersign mcp`: Countersign's MCP tools served from the agent's
 * machine, where its key share is. Transfers and signatures run the SDK's normal Signer+Server
 * signing (CountersignAgent): the server applies the guardrails before it co-signs. When a rule
 * parks a request for a human, the tool answers `pending_approval` after a bounded wait and this
 * process keeps waiting in the background — it signs the moment the request is approved (as
 * `countersign send` does); `wait_for_approval` waits on it. `check` uses the gateway over HTTP.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CheckFailedError, type ToolCallChecker } from "@/lib/gateway/mcp/checker";
import type { CountersignToolsBackend, SigningOutcome } from "@/lib/gateway/mcp/tools";
import type { CountersignAgent, PendingApproval } from "./agent";
import { ApprovalRejectedError, CountersignApiError, PolicyViolationError } from "./errors";
import { GatewayApiError, type GatewayClient } from "./gateway";

/**
 * The MCP gateway's ToolCallChecker on the SDK's GatewayClient. Anything but a verdict (an error
 * answer, an unreachable or garbled server) is a CheckFailedError, so callers fail closed.
 */
export function gatewayChecker(gw: GatewayClient): ToolCallChecker {
  async function wrap<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      if (err instanceof GatewayApiError) throw new CheckFailedError(`Countersign answered ${err.status}: ${err.message}`, err.status, err.code);
      throw new CheckFailedError(`Countersign could not be asked: ${(err as Error).message}`, null, null);
    }
  }
  return {
    check: (i) => wrap(() => gw.check(i.tool_name, i.arguments, { agentId: i.agent_id })),
    waitForDecision: (id, { timeoutMs, signal }) => wrap(() => gw.waitForDecision(id, { timeoutMs, signal })),
    allowedTools: (agentId) => wrap(() => gw.allowedTools({ agentId })),
  };
}

export type LocalToolsOptions = {
  /** A CountersignAgent calling `onPending` when a guardrail parks its session (one per signing). */
  agent: (onPending: (p: PendingApproval) => void) => CountersignAgent;
  /** GET /api/v1/signer/balance with the signer's key. */
  balance: () => Promise<{ address: string; chainId: number; balance: string; formatted: string; symbol: string }>;
  /** The gateway (gatewayChecker over a GatewayClient with an agent token or organization key); without it `check` is not offered. */
  checker?: ToolCallChecker;
  /** The agent `check` decides for when the call names none. */
  agentId?: () => Promise<string>;
  /** How long a signing tool waits for a human before it answers pending_approval (default 30 s). */
  approvalWaitMs?: number;
};

type Parked = { done: Promise<SigningOutcome>; pending: Extract<SigningOutcome, { status: "pending_approval" }> };

const TIMEOUT = Symbol("timeout");
function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), Math.max(0, ms))))]).finally(() => clearTimeout(timer));
}

/** What a failed signing tells the model: the guardrail's refusal, a human's, or another failure. */
function outcomeOf(err: unknown): SigningOutcome {
  if (err instanceof PolicyViolationError) return { status: "refused", message: err.message, violations: err.violations.map((v) => ({ type: v.type, message: v.message })) };
  if (err instanceof ApprovalRejectedError) return { status: "refused", message: err.message, violations: [] };
  if (err instanceof CountersignApiError && err.status === 403) return { status: "refused", message: err.message, violations: (err.body.violations ?? []).map((v) => ({ type: v.type, message: v.message })) };
  return { status: "failed", message: err instanceof Error ? err.message : String(err) };
}

export function localToolsBackend(opts: LocalToolsOptions): CountersignToolsBackend {
  const parked = new Map<string, Parked>();
  const approvalWaitMs = opts.approvalWaitMs ?? 30_000;

  async function sign(run: (agent: CountersignAgent) => Promise<Record<string, unknown>>): Promise<SigningOutcome> {
    let onPending!: (p: PendingApproval) => void;
    const pendingSeen = new Promise<PendingApproval>((r) => (onPending = r));
    const done: Promise<SigningOutcome> = run(opts.agent((p) => onPending(p))).then((result) => ({ status: "signed" as const, result }), outcomeOf);
    const first = await Promise.race([done, pendingSeen]);
    if ("status" in first) return first;
    const pending = { status: "pending_approval" as const, session_id: first.sessionId, signing_request_id: first.signingRequestId, expires_at: first.expiresAt, reasons: first.reasons };
    parked.set(first.sessionId, { done, pending });
    void done.then(() => setTimeout(() => parked.delete(first.sessionId), 10 * 60_000).unref());
    const settled = await within(done, approvalWaitMs);
    return settled === TIMEOUT ? pending : settled;
  }

  return {
    async getAddress() {
      const { signer } = await opts.agent(() => undefined).status();
      return { signer_id: signer.id, name: signer.name, address: signer.address, chain_id: signer.chainId, status: signer.status };
    },
    async getBalance() {
      const b = await opts.balance();
      return { address: b.address, chain_id: b.chainId, balance: b.balance, formatted: b.formatted, symbol: b.symbol };
    },
    proposeTransfer: (t) => sign((a) => a.sendTransaction({ to: t.to, value: t.value, data: t.data })),
    signMessage: (m) => sign((a) => a.signMessage(m)),
    signTypedData: (t) => sign((a) => a.signTypedData(t)),
    async waitForApproval(sessionId, timeoutMs) {
      const p = parked.get(sessionId);
      if (!p) throw new McpError(ErrorCode.InvalidParams, `No signing request of this session waits under ${sessionId}`);
      const settled = await within(p.done, timeoutMs);
      return settled === TIMEOUT ? p.pending : settled;
    },
    ...(opts.checker
      ? {
          check: async (c: { agent_id?: string; tool_name: string; arguments: unknown }) => {
            const agentId = c.agent_id ?? (await opts.agentId?.());
            if (!agentId) throw new McpError(ErrorCode.InvalidParams, "agent_id is required (no default agent configured)");
            return opts.checker!.check({ agent_id: agentId, tool_name: c.tool_name, arguments: c.arguments });
          },
          waitForDecision: (id: string, timeoutMs: number) => opts.checker!.waitForDecision(id, { timeoutMs }),
        }
      : {}),
  };
}
