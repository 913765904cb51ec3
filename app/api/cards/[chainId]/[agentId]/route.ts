import { agentCard as contract } from "@/lib/api/identity";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signedAgentCard } from "@/lib/a2a/card";

export const GET = handle(contract, async ({ params }) => ({ status: 200, body: await signedAgentCard(db(), params.chainId, params.agentId, env().origin) }));
