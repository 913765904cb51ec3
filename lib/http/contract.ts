import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import type { ApiFamily } from "./families";
import type { Principal } from "./principal";

/**
 * The one way to declare an API route: method, path, accepted authentication, the permission it
 * needs, and zod schemas for params, query, body and each response. `handle()` (lib/http/handle.ts)
 * validates against it and lib/http/openapi.ts turns every contract into GET /openapi.json.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * `session`: dashboard cookie; `apiKey`: x-api-key header or Authorization: Bearer (and, on aegis and
 * hybrid routes, X-AEGIS-API-Key); `agentToken`: X-AEGIS-Agent-Token, a short-lived JWT for one agent
 * (lib/agents/tokens; the contract's permission must be among its scopes); `public`: no authentication.
 */
export type AuthMode = "session" | "apiKey" | "agentToken" | "signedAgent" | "public";

/** What a rule's key function sees: the request after authentication and parsing. */
export type RateLimitInput = { params: unknown; query: unknown; body: unknown; principal: Principal };

type RateLimitBase = {
  /** Names the counter; rules with the same name share it. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** The 429 message (seed 001's are literal contract); default "Too many requests". */
  message?: string;
};

/**
 * `ip` is counted before authentication, `principal` after it; `agent`, `sid` and `nullifier` after
 * parsing, keyed by `key` (e.g. the SID in the path, the human nullifier in the body); `account`
 * after parsing too, keyed by the client address together with `key` (the account a sign-in names:
 * email, passkey credential id, wallet address). When `key` finds nothing the caller's address is
 * counted instead, so leaving a field out is no way around it.
 */
export type RateLimitRule =
  | (RateLimitBase & { by: "ip" | "principal" })
  | (RateLimitBase & { by: "agent" | "sid" | "nullifier" | "account"; key: (input: RateLimitInput) => string | null | undefined });

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
  rateLimit?: RateLimitRule | readonly RateLimitRule[];
  /** Media type of the success body when it is not JSON (the handler then returns a Response). */
  produces?: "text/csv" | "text/markdown" | "text/plain" | "application/octet-stream" | "image/svg+xml";
  /** The API family (lib/http/families.ts): decides the error body and which credential headers count. Default `v1`. */
  family?: ApiFamily;
  /** 401 messages where a seed fixes them (seed 001: "Invalid API key"). */
  authMessages?: { missing?: string; invalid?: string };
  /**
   * The handler gets the body's exact bytes as text (`rawBody`), unparsed: for payloads signed over
   * their bytes (the Stripe webhook). Exclusive with `body`.
   */
  rawBody?: { description: string };
  /**
   * The 503 message this route answers while the service behind it is not configured on this
   * instance (a NotConfiguredError: no identity registry on the chain, no Turnkey, no chat API).
   */
  unconfigured?: string;
  /** A body size limit of its own (413 above it) instead of BODY_LIMIT_BYTES (seed 003's AA proxy: 200 KB). */
  bodyLimitBytes?: number;
  /** Operational probes (/health, /ready, /metrics): not request-logged, not traced, not counted. */
  quiet?: true;
};

/** Keeps the literal type of the contract, so handlers see exact body/params/query/response types. */
export function defineRoute<const C extends RouteContract>(c: C): C {
  return c;
}
