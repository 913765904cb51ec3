import { reviewCheck } from "@/lib/api/gateway";
import { ASSERTION_HEADER } from "@/lib/approvals/binding";
import { db } from "@/lib/db/client";
import { decideCheck } from "@/lib/gateway/checks";
import { decisionResponse } from "@/lib/gateway/present";
import { BadRequestError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const PATCH = handle(reviewCheck, async ({ req, params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  let decidedBy: string;
  if (principal.type === "user") {
    decidedBy = principal.session.user.email ?? principal.session.user.walletAddress ?? principal.userId;
  } else {
    if (!body.decided_by) throw new BadRequestError("decided_by is required with an API key", [{ field: "body.decided_by", path: ["body", "decided_by"], code: "invalid_type", message: "Required" }]);
    decidedBy = body.decided_by;
  }
  const view = await decideCheck(db(), {
    organizationId,
    id: params.id,
    decision: body.decision,
    decidedBy,
    userId: principal.type === "user" ? principal.userId : null,
    credentialId: principal.type === "credential" ? principal.credential.id : null,
    actor: actorOf(principal),
    context: ctx,
    via: principal.type === "user" ? "dashboard" : "api",
    // A session reviewer allowing a HIGH/CRITICAL check confirms with a passkey; API keys do not.
    passkey: principal.type === "user" ? { userId: principal.userId, assertionHeader: req.headers.get(ASSERTION_HEADER) } : undefined,
  });
  return { status: 200, body: decisionResponse(view) };
});
