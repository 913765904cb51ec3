import { a2aJsonRpc as contract } from "@/lib/api/a2a";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { handleA2A } from "@/lib/a2a/server";

/** A2A JSON-RPC 2.0 (lib/a2a/server.ts): JSON-RPC errors ride on HTTP 200; a bad signature is refused before (401/403/409). */
export const POST = handle(contract, async ({ req, body, principal }) => {
  const caller =
    principal.type === "signed_agent"
      ? { agentAddress: principal.agent.agentAddress, chainId: principal.agent.chainId, agentId: principal.agent.agentId === null ? null : Number(principal.agent.agentId) }
      : null;
  const out = await handleA2A(db(), { body, version: req.headers.get("a2a-version"), caller, origin: env().origin });
  return { status: 200, body: out as { jsonrpc: "2.0"; id: string | number | null } };
});
