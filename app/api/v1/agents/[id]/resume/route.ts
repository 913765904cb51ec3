import { resumeAgent as contract } from "@/lib/api/agents";
import { resumeAgent } from "@/lib/agents/kill-switch";
import { viewOf } from "@/lib/agents/registry";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const POST = handle(contract, async ({ params, principal, ctx }) => {
  const { agent, abortedSessions } = await resumeAgent(db(), { organizationId: orgOf(principal), id: params.id, actor: actorOf(principal), context: ctx });
  return { status: 200, body: { agent: await viewOf(db(), agent), abortedSessions } };
});
