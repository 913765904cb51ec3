import { recordResponse as contract } from "@/lib/api/approvals";
import { ASSERTION_HEADER } from "@/lib/approvals/binding";
import { respond } from "@/lib/approvals/responses";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf, userOf } from "@/lib/http/scope";

/** The passkey assertion travels in X-Countersign-Assertion; the answering device may name itself in X-Countersign-Device. */
export const POST = handle(contract, async ({ body, principal, req, ctx }) => {
  const result = await respond(db(), {
    organizationId: orgOf(principal),
    userId: userOf(principal).userId,
    body,
    assertionHeader: req.headers.get(ASSERTION_HEADER),
    deviceId: req.headers.get("x-countersign-device"),
    userAgent: req.headers.get("user-agent"),
    audit: ctx,
  });
  return { status: 200, body: result };
});
