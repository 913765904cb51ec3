import { randomUUID } from "node:crypto";
import { clientAddress } from "./client-address";

export type RequestContext = { requestId: string; ip: string | null; userAgent: string | null };

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Request id (the client's X-Request-Id when well-formed, else a new one) and client address: the
 * socket's, stamped by our server, or the trusted proxy hop of X-Forwarded-For when TRUST_PROXY=N
 * (lib/http/client-address.ts). Client-set headers such as X-Real-IP are not read.
 */
export function requestContext(req: Request): RequestContext {
  const given = req.headers.get("x-request-id");
  return {
    requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
    ip: clientAddress(req.headers),
    userAgent: req.headers.get("user-agent"),
  };
}
