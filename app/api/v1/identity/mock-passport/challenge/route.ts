import { mockPassportChallenge as contract } from "@/lib/api/identity-sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";
import { mockPassportChallenge } from "@/lib/identity/sessions";

export const POST = handle(contract, async ({ body, principal }) => {
  const { userId, organizationId } = userOf(principal);
  return { status: 200, body: await mockPassportChallenge(db(), body.token, { userId, organizationId }, env().origin), headers: { "cache-control": "no-store" } };
});
