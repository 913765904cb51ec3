import { mockPassportScan as contract } from "@/lib/api/identity-sessions";
import { ASSERTION_HEADER } from "@/lib/approvals/binding";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";
import { scanMockPassport } from "@/lib/identity/sessions";

export const POST = handle(contract, async ({ body, principal, req }) => {
  const { userId, organizationId } = userOf(principal);
  const scanned = await scanMockPassport(db(), body.token, body.document, { userId, organizationId }, req.headers.get(ASSERTION_HEADER), env().origin);
  return { status: 200, body: scanned, headers: { "cache-control": "no-store" } };
});
