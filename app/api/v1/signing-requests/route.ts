import { listSigningRequests as contract } from "@/lib/api/signing-requests";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { listSigningRequests } from "@/lib/signing/approvals";

export const GET = handle(contract, async ({ query, principal }) => {
  const page = await listSigningRequests(db(), { organizationId: orgOf(principal), status: query.status, signerId: query.signerId, cursor: query.cursor ?? null, limit: query.limit });
  return { status: 200, body: page };
});
