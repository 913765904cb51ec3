import { getTurnkeySetupSession as contract } from "@/lib/api/turnkey";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSetupSession } from "@/lib/turnkey/setup";

export const GET = handle(contract, async ({ params, principal }) => ({ status: 200, body: await getSetupSession(db(), orgOf(principal), params.id) }));
