import { completeTurnkeySetupSession as contract } from "@/lib/api/turnkey";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf, userOf } from "@/lib/http/scope";
import { completeSetupSession } from "@/lib/turnkey/setup";

export const POST = handle(contract, async ({ params, principal, ctx }) => ({
  status: 200,
  body: await completeSetupSession(db(), { organizationId: orgOf(principal), userId: userOf(principal).userId, id: params.id, audit: ctx }),
}));
