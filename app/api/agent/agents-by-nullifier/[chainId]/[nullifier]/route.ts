import { agentsByNullifier as contract } from "@/lib/api/identity";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { agentsOfHumanNullifier } from "@/lib/identity/queries";

export const GET = handle(contract, async ({ params }) => ({ status: 200, body: await agentsOfHumanNullifier(db(), params.chainId, params.nullifier) }));
