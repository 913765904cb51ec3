import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";

/**
 * The one way to declare an API route: method, path, accepted authentication, the permission it
 * needs, and zod schemas for params, query, body and each response. `handle()` (lib/http/handle.ts)
 * validates against it and lib/http/openapi.ts turns every contract into GET /openapi.json.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** `session`: dashboard cookie; `apiKey`: x-api-key header (or Bearer); `public`: no authentication. */
export type AuthMode = "session" | "apiKey" | "public";

export type RateLimitRule = { name: string; limit: number; windowSeconds: number; by: "ip" | "principal" };

export type RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends Record<number, z.ZodType | null> = Record<number, z.ZodType | null>,
> = {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /api/v1/api-keys/{id} */
  path: string;
  summary: string;
  tags: string[];
  auth: readonly AuthMode[];
  /** Required of every authenticated caller: via role for sessions, via scopes for API keys. */
  permission?: Permission;
  /** Session callers must have an active organization (true for all org-scoped routes). */
  requireOrganization?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Status → schema of the body (null: no body). The first 2xx is the default success status. */
  responses: R;
  rateLimit?: RateLimitRule;
  /** Media type of the success body when it is not JSON (the handler then returns a Response). */
  produces?: "text/csv" | "text/markdown" | "text/plain";
  /** Error body shape: seed 000's { statusCode, message, violations? } for /api/v1 (default); "error": seed 004's { error, violations? }. */
  errorShape?: "v1" | "error";
  /** Operational probes (/health, /ready, /metrics): not request-logged, not traced, not counted. */
  quiet?: true;
};

/** Keeps the literal type of the contract, so handlers see exact body/params/query/response types. */
export function defineRoute<const C extends RouteContract>(c: C): C {
  return c;
}
