import { randomUUID } from "node:crypto";

export type RequestContext = { requestId: string; ip: string | null; userAgent: string | null };

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Client address: the first X-Forwarded-For hop is trusted only when TRUST_PROXY=1 (behind a load
 * balancer that sets it); otherwise X-Real-IP from the Next server, else unknown.
 */
export function requestContext(req: Request): RequestContext {
  const given = req.headers.get("x-request-id");
  const trustProxy = process.env.TRUST_PROXY === "1";
  const forwarded = trustProxy ? req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  return {
    requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
    ip: forwarded || req.headers.get("x-real-ip") || null,
    userAgent: req.headers.get("user-agent"),
  };
}
