/**
 * Seed 003's demo chat: a question about Self Agent ID answered by an OpenAI-compatible chat API
 * (DEMO_CHAT_URL, POST …/chat/completions). A signed request is answered with the caller's verified
 * identity in the system prompt; an unsigned one as anonymous. Nothing is stored: `session_id` is
 * passed on as the API's `user`.
 */
import type { DbOrTx } from "@/lib/db/client";
import type { SignedAgent } from "@/lib/auth/signed-agent";
import { NotConfiguredError, ProxyUpstreamError } from "@/lib/http/errors";
import { strengthLabel } from "@/lib/identity/model";
import { callerAgent } from "./demo";

export type ChatConfig = { url?: string; model: string; apiKey?: string; timeoutMs?: number };
const SYSTEM = "You answer questions about Self Agent ID: on-chain agent identities backed by a human's proof of personhood, signed agent requests (x-self-agent-* headers) and A2A agent cards. Be brief.";

export async function demoChat(db: DbOrTx, input: { query: string; sessionId: string }, caller: SignedAgent | null, cfg: ChatConfig) {
  if (!cfg.url) throw new NotConfiguredError();
  let who = "The user is anonymous (unsigned request).";
  let agent: { agentId: number; agentAddress: string; strengthLabel: string } | null = null;
  if (caller) {
    const { agent: a } = await callerAgent(db, caller);
    agent = { agentId: a.agentId, agentAddress: a.agentAddress, strengthLabel: strengthLabel(a.verificationStrength) };
    who = `The user is a verified agent: agent ${a.agentId} on chain ${a.chainId}, address ${a.agentAddress}, proof of human ${agent.strengthLabel}, nationality ${a.credentials.nationality || "undisclosed"}, older than ${a.credentials.olderThan}.`;
  }
  const res = await fetch(`${cfg.url.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}) },
    body: JSON.stringify({ model: cfg.model, user: input.sessionId, messages: [{ role: "system", content: `${SYSTEM}\n${who}` }, { role: "user", content: input.query }] }),
    signal: AbortSignal.timeout(cfg.timeoutMs ?? 30_000),
  }).catch((err: unknown) => {
    throw new ProxyUpstreamError("Chat service unreachable", { timeout: err instanceof Error && err.name === "TimeoutError", cause: err });
  });
  if (!res.ok) throw new ProxyUpstreamError(`Chat service answered ${res.status}`);
  const body = (await res.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
  const answer = body?.choices?.[0]?.message?.content;
  if (typeof answer !== "string") throw new ProxyUpstreamError("Chat service answered without a message");
  return { answer, session_id: input.sessionId, verified: agent !== null, agent };
}
