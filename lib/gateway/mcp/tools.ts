/**
 * Countersign's own tools as an MCP server, for `countersign mcp` (stdio, on the agent's machine)
 * and the /mcp route (Streamable HTTP). Every tool is decided by the same rules as the rest of
 * Countersign: money and signatures go through the normal signing-session path (guardrails, spend
 * limits, approvals in the inbox); `check` is the tool-call gateway itself. A signing request a
 * guardrail parks for a human answers `pending_approval` with a pointer (`session_id`) that
 * `wait_for_approval` waits on. Tools a backend cannot serve are not listed.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { getAddress, parseEther, type Hex, type TypedDataDefinition } from "viem";
import type { ToolCheckResult } from "./checker";
import { refusalFor } from "./errors";

export type SigningOutcome =
  | { status: "signed"; result: Record<string, unknown> }
  | { status: "pending_approval"; session_id: string; signing_request_id: string; expires_at: string; reasons: string[] }
  | { status: "refused"; message: string; violations: { type?: string; message: string }[] }
  /** The signing did not complete for another reason (server unreachable, session expired, tampering detected). */
  | { status: "failed"; message: string };

export type CountersignToolsBackend = {
  getAddress?(): Promise<{ signer_id: string; name: string; address: string | null; chain_id: number; status: string }>;
  getBalance?(): Promise<{ address: string; chain_id: number; balance: string; formatted: string; symbol: string }>;
  proposeTransfer?(t: { to: string; value: bigint; data?: Hex }): Promise<SigningOutcome>;
  signMessage?(m: string | { raw: Hex }): Promise<SigningOutcome>;
  signTypedData?(t: TypedDataDefinition): Promise<SigningOutcome>;
  /** Waits (bounded) on a signing request parked for approval, then reports how it ended. */
  waitForApproval?(sessionId: string, timeoutMs: number): Promise<SigningOutcome>;
  check?(c: { agent_id?: string; tool_name: string; arguments: unknown }): Promise<ToolCheckResult>;
  waitForDecision?(checkId: string, timeoutMs: number): Promise<ToolCheckResult>;
};

export const COUNTERSIGN_TOOL_NAMES = ["get_address", "get_balance", "propose_transfer", "sign_message", "sign_typed_data", "check", "wait_for_approval", "wait_for_decision"] as const;

const ok = (value: unknown): CallToolResult => ({ content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value as Record<string, unknown> });

function outcome(o: SigningOutcome): CallToolResult {
  if (o.status === "failed") return { isError: true, content: [{ type: "text", text: `SIGNING_FAILED: ${o.message}` }], structuredContent: o };
  if (o.status === "refused") {
    const lines = [`SIGNING_REFUSED: ${o.message}`, ...o.violations.map((v) => `- ${v.type ?? "violation"}: ${v.message}`)];
    return { isError: true, content: [{ type: "text", text: lines.join("\n") }], structuredContent: o };
  }
  return ok(o);
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 0x-prefixed 20-byte address");
const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "0x-prefixed hex bytes");
const waitSeconds = z.number().int().min(0).max(300).optional().describe("How long to wait (seconds, default 30, at most 300)");

export function createCountersignToolsServer(backend: CountersignToolsBackend, info: { name?: string; version?: string } = {}): McpServer {
  const server = new McpServer({ name: info.name ?? "countersign", version: info.version ?? "1.0.0" }, { instructions: "Countersign: a 2-of-3 threshold wallet with guardrails and human approvals, and a gateway that decides tool calls. Transfers and signatures are co-signed only when the guardrails allow; some need a human (status pending_approval: call wait_for_approval with the session_id)." });
  const b = backend;

  if (b.getAddress) {
    const getAddress = b.getAddress.bind(b);
    server.registerTool("get_address", { title: "Wallet address", description: "The agent's wallet: signer id, name, chain id and address.", annotations: { readOnlyHint: true } }, async () => ok(await getAddress()));
  }
  if (b.getBalance) {
    const getBalance = b.getBalance.bind(b);
    server.registerTool("get_balance", { title: "Wallet balance", description: "The native balance of the agent's wallet (wei and formatted).", annotations: { readOnlyHint: true } }, async () => ok(await getBalance()));
  }
  if (b.proposeTransfer) {
    const propose = b.proposeTransfer.bind(b);
    server.registerTool(
      "propose_transfer",
      {
        title: "Transfer",
        description: "Send native currency (and optionally call data) from the agent's wallet. The server checks the guardrails before it co-signs: refused, signed and broadcast, or pending_approval (a human must approve; call wait_for_approval with the session_id).",
        inputSchema: { to: address.describe("Recipient address"), value: z.string().regex(/^\d+(\.\d{1,18})?$/, "ether as a decimal, e.g. 0.5").describe("Amount in ether, e.g. \"0.05\""), data: hex.optional().describe("Call data (0x…), for a contract call") },
        annotations: { destructiveHint: true },
      },
      async ({ to, value, data }) => outcome(await propose({ to: getAddress(to.toLowerCase()), value: parseEther(value), data: data?.toLowerCase() as Hex | undefined })),
    );
  }
  if (b.signMessage) {
    const signMessage = b.signMessage.bind(b);
    server.registerTool(
      "sign_message",
      { title: "Sign a message", description: "EIP-191 personal_sign with the agent's wallet, after the guardrails. Give `message` (text) or `hex` (raw bytes).", inputSchema: { message: z.string().max(100_000).optional(), hex: hex.optional() } },
      async ({ message, hex: raw }) => {
        if ((message === undefined) === (raw === undefined)) throw new McpError(ErrorCode.InvalidParams, "Give exactly one of message or hex");
        return outcome(await signMessage(raw !== undefined ? { raw: raw as Hex } : message!));
      },
    );
  }
  if (b.signTypedData) {
    const signTypedData = b.signTypedData.bind(b);
    server.registerTool(
      "sign_typed_data",
      { title: "Sign typed data", description: "EIP-712 typed data signature with the agent's wallet, after the guardrails.", inputSchema: { domain: z.record(z.string(), z.unknown()), types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))), primaryType: z.string(), message: z.record(z.string(), z.unknown()) } },
      async (t) => outcome(await signTypedData(t as unknown as TypedDataDefinition)),
    );
  }
  if (b.waitForApproval) {
    const wait = b.waitForApproval.bind(b);
    server.registerTool(
      "wait_for_approval",
      { title: "Wait for approval", description: "Waits for a human to decide a signing request that answered pending_approval; returns the signature/transaction once approved, or the refusal.", inputSchema: { session_id: z.string().min(1).max(100), timeout_seconds: waitSeconds } },
      async ({ session_id, timeout_seconds }) => outcome(await wait(session_id, (timeout_seconds ?? 30) * 1000)),
    );
  }
  if (b.check) {
    const check = b.check.bind(b);
    server.registerTool(
      "check",
      {
        title: "Check a tool call",
        description: "Ask Countersign's gateway whether a tool call may run: allow, block (with reasons and what would make it allowed) or pending (a human reviews it; call wait_for_decision with the check_id).",
        inputSchema: { tool_name: z.string().min(1).max(200), arguments: z.record(z.string(), z.unknown()).optional(), agent_id: z.string().min(1).max(200).optional().describe("Defaults to this agent") },
        annotations: { readOnlyHint: false },
      },
      async ({ tool_name, arguments: args, agent_id }) => ok(await check({ tool_name, arguments: args ?? {}, agent_id })),
    );
  }
  if (b.waitForDecision) {
    const wait = b.waitForDecision.bind(b);
    server.registerTool(
      "wait_for_decision",
      { title: "Wait for a reviewer", description: "Waits for a human to decide a pending check; returns the verdict (allow, block, or still pending at the timeout).", inputSchema: { check_id: z.string().min(1).max(100), timeout_seconds: waitSeconds } },
      async ({ check_id, timeout_seconds }) => {
        const v = await wait(check_id, (timeout_seconds ?? 30) * 1000);
        return v.decision === "block" ? refusalFor(`check ${check_id}`, v) : ok(v);
      },
    );
  }
  return server;
}
