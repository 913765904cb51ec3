import { approveSigningRequest as contract } from "@/lib/api/signing-requests";
import { ASSERTION_HEADER } from "@/lib/approvals/binding";
import { approveParkedRequest } from "@/lib/approvals/parked";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { mpcProfile } from "@/lib/signing/profile";

export const POST = handle(contract, async ({ req, params, principal, ctx }) => {
  const signingRequest = await approveParkedRequest(db(), {
    organizationId: orgOf(principal),
    signingRequestId: params.id,
    userId: userOf(principal).userId,
    assertionHeader: req.headers.get(ASSERTION_HEADER),
    profile: mpcProfile(),
    actor: actorOf(principal),
    context: ctx,
  });
  return { status: 200, body: { signingRequest } };
});
