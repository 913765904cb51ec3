/**
 * POST /api/a2a: the A2A JSON-RPC 2.0 endpoint, built on @a2a-js/sdk. The SDK implements A2A 1.0
 * (`SendMessage`, `GetTask`, … with `A2A-Version: 1.0`) and, through its v0.3 compatibility layer,
 * the method names the seed uses (`message/send`, `tasks/get`, …) — chosen as the SDK's own Express
 * adapter does: by the `A2A-Version` header, v0.3 when it is absent. Every failure is a JSON-RPC error
 * (HTTP 200): malformed requests and unknown methods by the SDK, a bad or unknown intent as
 * -32602 (Invalid params) and a chain that is not served as -32603, with our message.
 *
 * The seed's example message (`parts: [{ "type": "data", … }]` without `messageId`, the A2A 0.1
 * shape) is accepted: `type` is read as v0.3's `kind`, and a missing messageId is generated.
 */
import { randomUUID } from "node:crypto";
import type { AgentCard, Message, SendMessageRequest, Task } from "@a2a-js/sdk";
import { JsonRpcTransportError, A2A_ERROR_CODE } from "@a2a-js/sdk/errors";
import { AgentEvent, DefaultRequestHandler, JsonRpcTransportHandler, ServerCallContext, validateVersion, type AgentExecutor, type User } from "@a2a-js/sdk/server";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import type { Db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/log/logger";
import { A2A_LEGACY_VERSION, serviceCard } from "./card";
import { parseIntent, runIntent, type Caller } from "./intents";
import { DatabaseTaskStore } from "./task-store";

const RESULT = "countersign.a2a.result";
const TASK_STATE_COMPLETED = 3;
const ROLE_AGENT = 2;

class SignedAgentUser implements User {
  constructor(private readonly address: string) {}
  get isAuthenticated() {
    return true;
  }
  get userName() {
    return this.address;
  }
}
class AnonymousUser implements User {
  get isAuthenticated() {
    return false;
  }
  get userName() {
    return "";
  }
}

function rpcError(code: number, message: string, data?: Record<string, unknown>): JsonRpcTransportError {
  return new JsonRpcTransportError({ jsonrpc: "2.0", id: null, error: { code, message, ...(data ? { data } : {}) } } as ConstructorParameters<typeof JsonRpcTransportError>[0]);
}

/** Our typed errors as JSON-RPC errors: the client's mistakes are Invalid params, the rest Internal error (never an unexpected error's text). */
export function toRpcError(err: unknown): JsonRpcTransportError {
  if (err instanceof ApiError) {
    if (err.status < 500) return rpcError(A2A_ERROR_CODE.INVALID_PARAMS, err.message, { status: err.status });
    return rpcError(A2A_ERROR_CODE.INTERNAL_ERROR, err.message, { status: err.status });
  }
  log.error("a2a intent failed", { error: err instanceof Error ? err.message : String(err) });
  return rpcError(A2A_ERROR_CODE.INTERNAL_ERROR, "Internal error");
}

/** Publishes the task: completed, the intent's result as a data artifact and a one-line status message. */
const executor: AgentExecutor = {
  async execute(rc, bus) {
    const result = rc.context.state.get(RESULT) as Record<string, unknown>;
    const agentMessage: Message = {
      messageId: randomUUID(),
      contextId: rc.contextId,
      taskId: rc.taskId,
      role: ROLE_AGENT,
      parts: [{ content: { $case: "text", value: `${String(result.intent)}: done` }, metadata: undefined, filename: "", mediaType: "text/plain" }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
    const task: Task = {
      id: rc.taskId,
      contextId: rc.contextId,
      status: { state: TASK_STATE_COMPLETED, message: agentMessage, timestamp: new Date().toISOString() },
      artifacts: [
        {
          artifactId: randomUUID(),
          name: String(result.intent),
          description: "",
          parts: [{ content: { $case: "data", value: result }, metadata: undefined, filename: "", mediaType: "application/json" }],
          metadata: undefined,
          extensions: [],
        },
      ],
      history: [...(rc.task?.history ?? []), rc.userMessage],
      metadata: undefined,
    };
    bus.publish(AgentEvent.task(task));
    bus.finished();
  },
  async cancelTask() {
    // Every task completes within its request: there is nothing running to cancel.
  },
};

/** Resolves the intent before the SDK runs the task, so that a bad request is a JSON-RPC error, not a failed task. */
class IdentityRequestHandler extends DefaultRequestHandler {
  constructor(
    card: AgentCard,
    private readonly db: Db,
    private readonly origin: string,
    private readonly caller: Caller,
  ) {
    super(card, new DatabaseTaskStore(db), executor);
  }

  override async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    try {
      const intent = parseIntent(params.message?.parts ?? []);
      context.state.set(RESULT, await runIntent(this.db, intent, { origin: this.origin, caller: this.caller }));
    } catch (err) {
      throw toRpcError(err);
    }
    return super.sendMessage(params, context);
  }
}

/** The seed's A2A 0.1-shaped message → v0.3 (`type` → `kind`, a messageId when missing). */
export function normalizeLegacy(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const rpc = body as { method?: unknown; params?: { message?: unknown } };
  if ((rpc.method !== "message/send" && rpc.method !== "message/stream") || typeof rpc.params?.message !== "object" || rpc.params.message === null) return body;
  const message = { ...(rpc.params.message as Record<string, unknown>) };
  if (message.messageId === undefined) message.messageId = randomUUID();
  if (Array.isArray(message.parts)) {
    message.parts = message.parts.map((p: unknown) => (p && typeof p === "object" && !Array.isArray(p) && "type" in p && !("kind" in p) ? { ...(p as object), kind: (p as { type: unknown }).type } : p));
  }
  return { ...rpc, params: { ...rpc.params, message } };
}

export type A2ACall = { body: unknown; version: string | null; caller: Caller; origin: string };

/** One JSON-RPC request → its JSON-RPC response (always a single envelope: the card declares no streaming). */
export async function handleA2A(db: Db, call: A2ACall): Promise<unknown> {
  const card = serviceCard(call.origin) as unknown as AgentCard;
  const legacy = (call.version ?? A2A_LEGACY_VERSION) === A2A_LEGACY_VERSION;
  const id = typeof call.body === "object" && call.body !== null && "id" in call.body ? (call.body as { id: unknown }).id : null;
  const rpcId = typeof id === "string" || (typeof id === "number" && Number.isInteger(id)) ? id : null;
  const context = new ServerCallContext({ user: call.caller ? new SignedAgentUser(call.caller.agentAddress) : new AnonymousUser(), requestedVersion: call.version ?? undefined });
  try {
    validateVersion(context.requestedVersion, card, "JSONRPC");
  } catch (err) {
    return { jsonrpc: "2.0", id: rpcId, error: legacy ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(err) : JsonRpcTransportHandler.mapToJSONRPCError(err) };
  }
  const handler = new IdentityRequestHandler(card, db, call.origin, call.caller);
  const out = legacy
    ? await new LegacyJsonRpcTransportHandler(handler).handle(normalizeLegacy(call.body) as Record<string, unknown>, context)
    : await new JsonRpcTransportHandler(handler).handle(call.body as Record<string, unknown>, context);
  if (out && typeof (out as AsyncGenerator)[Symbol.asyncIterator] === "function") {
    // Not reachable: streaming methods are refused (capabilities.streaming is false).
    return { jsonrpc: "2.0", id: rpcId, error: { code: A2A_ERROR_CODE.UNSUPPORTED_OPERATION, message: "Streaming is not supported" } };
  }
  return out;
}
