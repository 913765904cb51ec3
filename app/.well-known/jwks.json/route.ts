import { agentTokenJwks as contract } from "@/lib/api/agents";
import { jwks } from "@/lib/agents/tokens/keys";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const GET = handle(contract, async () => ({ status: 200, body: await jwks(db()), headers: { "cache-control": "public, max-age=300" } }));
