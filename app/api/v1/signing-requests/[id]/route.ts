import { getSigningRequest as contract } from "@/lib/api/signing-requests";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSigningRequest } from "@/lib/signing/approvals";

export const GET = handle(contract, async ({ params, principal }) => {
  return { status: 200, body: { signingRequest: await getSigningRequest(db(), orgOf(principal), params.id) } };
});
