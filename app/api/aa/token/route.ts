import { aaToken as contract } from "@/lib/api/aa";
import { requireAaConfigured, requireAppOrigin } from "@/lib/aa/proxy";
import { issueProxyToken } from "@/lib/aa/token";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(contract, async ({ req, query, principal }) => {
  requireAppOrigin(req);
  await requireAaConfigured(db(), query.chainId);
  const organizationId = principal.type === "user" ? principal.organizationId : null;
  return { status: 200, body: await issueProxyToken({ chainId: query.chainId, organizationId, ttlSeconds: env().AA_TOKEN_TTL_SECONDS }) };
});
