import { selfAgentIdDiscovery as contract } from "@/lib/api/identity";
import { env } from "@/lib/config/env";
import { handle } from "@/lib/http/handle";
import { discoveryDocument } from "@/lib/identity/model";

export const GET = handle(contract, async () => ({ status: 200, body: discoveryDocument(env().origin), headers: { "cache-control": "public, max-age=300" } }));
