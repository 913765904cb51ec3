import { getTurnkeyRequest as contract } from "@/lib/api/turnkey";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getTurnkeyRequest } from "@/lib/turnkey/requests";

export const GET = handle(contract, async ({ params, principal }) => ({ status: 200, body: await getTurnkeyRequest(db(), orgOf(principal), params.id) }));
