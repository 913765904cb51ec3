import { allContracts } from "@/lib/api";
import { llmsTxt } from "@/lib/api/agent-docs";
import { renderLlmsTxt } from "@/lib/agent-docs/render";
import { env } from "@/lib/config/env";
import { handle } from "@/lib/http/handle";

export const GET = handle(llmsTxt, async () => new Response(renderLlmsTxt(allContracts, env().origin), { headers: { "content-type": "text/plain; charset=utf-8" } }));
