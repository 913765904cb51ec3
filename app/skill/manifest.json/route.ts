import { allContracts } from "@/lib/api";
import { skillManifest } from "@/lib/api/agent-docs";
import { renderManifest } from "@/lib/agent-docs/render";
import { env } from "@/lib/config/env";
import { handle } from "@/lib/http/handle";
import { VERSION } from "@/lib/system/health";

export const GET = handle(skillManifest, async () => ({ status: 200, body: renderManifest(allContracts, env().origin, VERSION) }));
