import { agentCard as contract } from "@/lib/api/identity";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { agentCardFor } from "@/lib/identity/queries";

export const GET = handle(contract, async ({ params }) => ({ status: 200, body: await agentCardFor(db(), params.chainId, params.agentId, env().origin) }));
