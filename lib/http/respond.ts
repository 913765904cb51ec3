import { ZodError } from "zod";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { ApiError, DatabaseUnavailableError } from "./errors";
import { factsOf, familyErrorBody, type ApiFamily } from "./families";
import { log } from "@/lib/log/logger";

export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)), { status: init.status ?? 200, headers });
}

/**
 * The one place where errors become HTTP, in the body of the route's family (lib/http/families.ts).
 * Unknown errors are logged with the request id and hidden behind a 500; the database being
 * unavailable is a 503 with Retry-After (lib/db/unavailable.ts).
 */
export function toErrorResponse(err: unknown, requestId: string, family: ApiFamily = "v1"): Response {
  let res: Response;
  // A database outage is no bug of ours: 503 with Retry-After, logged without the driver's detail.
  if (!(err instanceof ApiError) && isDatabaseUnavailable(err)) {
    log.warn("database unavailable", { requestId, error: err instanceof Error ? err.message.split("\n").filter(Boolean).pop() : String(err) });
    err = new DatabaseUnavailableError(err);
  }
  if (err instanceof ApiError) {
    res = json(familyErrorBody(family, factsOf(err)), { status: err.status, headers: err.headers });
  } else {
    if (err instanceof ZodError) log.error("unvalidated zod error reached the boundary", { requestId, issues: err.issues.length });
    else log.error("unhandled error", { requestId, error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) });
    res = json(familyErrorBody(family, { status: 500, message: "Internal server error" }), { status: 500 });
  }
  res.headers.set("x-request-id", requestId);
  if (family === "scim") res.headers.set("content-type", "application/scim+json; charset=utf-8");
  return res;
}
