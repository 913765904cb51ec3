import { rejectSigningRequest as contract } from "@/lib/api/signing-requests";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { rejectSigningRequest } from "@/lib/signing/approvals";

export const POST = handle(contract, async ({ params, principal, ctx }) => {
  const signingRequest = await rejectSigningRequest(db(), { organizationId: orgOf(principal), signingRequestId: params.id, userId: userOf(principal).userId, actor: actorOf(principal), context: ctx });
  return { status: 200, body: { signingRequest } };
});
