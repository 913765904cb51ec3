import { ZodError } from "zod";
import { ApiError } from "./errors";
import { log } from "@/lib/log/logger";

/** seed 000's error body, used by every /api/v1 route. */
export type V1ErrorBody = { statusCode: number; message: string; violations?: unknown[] };

export function errorBody(status: number, message: string, violations?: unknown[]): V1ErrorBody {
  return violations && violations.length ? { statusCode: status, message, violations } : { statusCode: status, message };
}

export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)), { status: init.status ?? 200, headers });
}

/** seed 004's error body: { error, violations? } (additional members allowed by its schemas). */
function errorBodyFor(shape: "v1" | "error", status: number, message: string, violations?: unknown[]) {
  if (shape === "v1") return errorBody(status, message, violations);
  return violations && violations.length ? { error: message, violations } : { error: message };
}

/** The one place where errors become HTTP. Unknown errors are logged with the request id and hidden. */
export function toErrorResponse(err: unknown, requestId: string, shape: "v1" | "error" = "v1"): Response {
  if (err instanceof ApiError) {
    return json(errorBodyFor(shape, err.status, err.message, err.violations), { status: err.status, headers: { ...err.headers, "x-request-id": requestId } });
  }
  if (err instanceof ZodError) {
    log.error("unvalidated zod error reached the boundary", { requestId, issues: err.issues.length });
  } else {
    log.error("unhandled error", { requestId, error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) });
  }
  return json(errorBodyFor(shape, 500, "Internal server error"), { status: 500, headers: { "x-request-id": requestId } });
}
