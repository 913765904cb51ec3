import { demoChat as contract } from "@/lib/api/demo";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { demoChat } from "@/lib/demo/chat";

/** Seed 003's demo chat: 503 "Service not configured" unless DEMO_CHAT_URL names an OpenAI-compatible API. */
export const POST = handle(contract, async ({ body, principal }) => {
  const e = env();
  const out = await demoChat(db(), { query: body.query, sessionId: body.session_id }, principal.type === "signed_agent" ? principal.agent : null, {
    url: e.DEMO_CHAT_URL,
    model: e.DEMO_CHAT_MODEL,
    apiKey: e.DEMO_CHAT_API_KEY,
  });
  return { status: 200, body: out };
});
