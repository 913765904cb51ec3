import { agentsOfHuman as contract } from "@/lib/api/identity";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { agentsOfHumanAddress } from "@/lib/identity/queries";

export const GET = handle(contract, async ({ params }) => ({ status: 200, body: await agentsOfHumanAddress(db(), params.chainId, params.address as `0x${string}`) }));
