import { submitTurnkeyRequest as contract } from "@/lib/api/turnkey";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { submitTurnkeyRequest } from "@/lib/turnkey/requests";

export const POST = handle(contract, async ({ body, principal, ctx }) => ({ status: 202, body: await submitTurnkeyRequest(db(), orgOf(principal), body, { audit: ctx }) }));
