import { a2aDiscovery as contract } from "@/lib/api/identity";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { cardLocation } from "@/lib/identity/queries";

/** Redirects to the agent card resolver (/api/cards/{chainId}/{agentId}). */
export const GET = handle(contract, async ({ params, query }) => ({ status: 302, body: undefined, headers: { location: `${env().origin}${await cardLocation(db(), params.agentId, query.chain)}` } }));
