import { allContracts } from "@/lib/api";
import { openapi } from "@/lib/api/system";
import { env } from "@/lib/config/env";
import { handle } from "@/lib/http/handle";
import { buildOpenApi } from "@/lib/http/openapi";
import { VERSION } from "@/lib/system/health";

export const GET = handle(openapi, async () => ({ status: 200, body: buildOpenApi(allContracts, { version: VERSION, serverUrl: env().origin }) }));
