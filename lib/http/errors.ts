/**
 * Typed errors for the whole API. Route handlers and domain code throw these; `toErrorResponse`
 * (lib/http/respond.ts) is the one place that maps them to HTTP, in the body of the route's family
 * (lib/http/families.ts).
 */

/**
 * One reason a request was refused. Field errors carry `field` (e.g. `body.email`) and, when they
 * come from zod, its issue `code` and `path`; guardrail violations carry `policyId` and `type`.
 */
export type Violation = { policyId?: string; type?: string; field?: string; path?: (string | number)[]; code?: string; message: string };

/** RFC 7644 §3.12 scimType values a SCIM client may act on. */
export type ScimType = "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax" | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive";

export type ApiErrorOptions = {
  violations?: Violation[];
  headers?: Record<string, string>;
  cause?: unknown;
  /** A machine-readable code where the status alone does not say it (seed 002's POLICY_VIOLATION, PROXY_UPSTREAM_*). */
  code?: string;
  scimType?: ScimType;
};

/** Marks an ApiError whichever copy of this module made it (see ApiError's hasInstance). */
const API_ERROR = Symbol.for("countersign.ApiError");

export class ApiError extends Error {
  /**
   * `instanceof ApiError` holds for an ApiError from another copy of this module too: the production
   * build gives instrumentation.ts (which installs the signed-agent verifier) and each route handler
   * bundles of their own, and an error the verifier throws must still map to its status, not a 500.
   * Subclasses keep the ordinary prototype check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this === ApiError) return typeof value === "object" && value !== null && (value as { [API_ERROR]?: true })[API_ERROR] === true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
  readonly [API_ERROR] = true as const;
  readonly status: number;
  readonly violations?: Violation[];
  readonly headers?: Record<string, string>;
  readonly code?: string;
  readonly scimType?: ScimType;
  constructor(status: number, message: string, opts: ApiErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.status = status;
    this.violations = opts.violations;
    this.headers = opts.headers;
    this.code = opts.code;
    this.scimType = opts.scimType;
  }
}

export class BadRequestError extends ApiError {
  constructor(message = "Bad request", violations?: Violation[], opts: { scimType?: ScimType } = {}) {
    super(400, message, { violations, scimType: opts.scimType });
  }
}
export class UnauthorizedError extends ApiError {
  constructor(message = "Unauthorized") {
    super(401, message);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message = "Forbidden", violations?: Violation[], opts: { code?: string } = {}) {
    super(403, message, { violations, code: opts.code });
  }
}

/**
 * A guardrail refused the request. Seed 000 clients read the violations; seed 002 clients read
 * `policy_name` (the first violated policy unless named) and the counterfactual `hint` — what would
 * have been allowed.
 */
export class PolicyViolationError extends ForbiddenError {
  readonly policyName?: string;
  readonly hint?: string;
  constructor(violations: Violation[], opts: { policyName?: string; hint?: string; message?: string } = {}) {
    super(opts.message ?? "Policy violation", violations, { code: "POLICY_VIOLATION" });
    this.policyName = opts.policyName ?? violations.find((v) => v.type)?.type;
    this.hint = opts.hint;
  }
}
export class NotFoundError extends ApiError {
  constructor(message = "Not found") {
    super(404, message);
  }
}
export class MethodNotAllowedError extends ApiError {
  constructor(message = "Method not allowed") {
    super(405, message);
  }
}
export class ConflictError extends ApiError {
  constructor(message = "Conflict", opts: { scimType?: ScimType } = {}) {
    super(409, message, { scimType: opts.scimType });
  }
}
export class GoneError extends ApiError {
  constructor(message = "Gone") {
    super(410, message);
  }
}
export class PayloadTooLargeError extends ApiError {
  constructor(limit: number) {
    super(413, `Request body exceeds ${limit} bytes`);
  }
}
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message = "Content-Type must be application/json") {
    super(415, message);
  }
}
/** 429; the Retry-After header is always set (whole seconds, at least 1). */
export class TooManyRequestsError extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = "Too many requests") {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, message, { headers: { "retry-after": String(seconds) } });
    this.retryAfterSeconds = seconds;
  }
}
/** An upstream the gateway proxies to failed (502) or did not answer in time (504). */
export class ProxyUpstreamError extends ApiError {
  constructor(message = "Upstream request failed", opts: { timeout?: boolean; cause?: unknown } = {}) {
    super(opts.timeout ? 504 : 502, message, { code: opts.timeout ? "PROXY_UPSTREAM_TIMEOUT" : "PROXY_UPSTREAM_FAILED", cause: opts.cause });
  }
}
export class ServiceUnavailableError extends ApiError {
  constructor(message = "Service degraded", opts: ApiErrorOptions = {}) {
    super(503, message, opts);
  }
}

/** Seed 003's answer when the service behind a route is not set up on this instance. */
export const SERVICE_NOT_CONFIGURED = "Service not configured";

/**
 * A service this instance does not configure (a chain, a provider, an upstream API): 503 with the
 * message the route's contract declares as `unconfigured`, so clients and tests tell it from an outage.
 */
export class NotConfiguredError extends ServiceUnavailableError {
  constructor(message: string = SERVICE_NOT_CONFIGURED) {
    super(message);
  }
}

/**
 * The database is unavailable (down, restarting, out of connections, too slow): 503 with
 * Retry-After, so clients retry; nothing about the request was wrong.
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  static readonly RETRY_AFTER_SECONDS = 2;
  constructor(cause?: unknown) {
    super("The database is unavailable; retry shortly", { headers: { "retry-after": String(DatabaseUnavailableError.RETRY_AFTER_SECONDS) }, cause });
  }
}

/** The key store has no master key: nothing that needs a secret at rest may run. */
export class SealedError extends ServiceUnavailableError {
  constructor() {
    super("Key store is sealed: no master key is configured");
  }
}
