import { allContracts } from "@/lib/api";
import { skillMarkdown } from "@/lib/api/agent-docs";
import { renderSkillMarkdown } from "@/lib/agent-docs/render";
import { env } from "@/lib/config/env";
import { handle } from "@/lib/http/handle";

export const GET = handle(skillMarkdown, async () => new Response(renderSkillMarkdown(allContracts, env().origin), { headers: { "content-type": "text/markdown; charset=utf-8" } }));
