import { z } from "zod";
import type { ApiError, Violation } from "./errors";
import { PolicyViolationError, TooManyRequestsError } from "./errors";

/**
 * API families: each seed's clients expect their own error body, and each route contract names the
 * family it belongs to (lib/http/contract.ts, default `v1`). This module is the one place where a
 * typed error becomes a family's body.
 *
 *   v1      seed 000            { statusCode, message, violations? }
 *   aegis   seed 002            { error: { code, message, ...detail } }
 *   error   seeds 001, 003, 004 { error: "message", violations? }
 *   scim    RFC 7644 §3.12      { schemas: [Error URN], status: "400", scimType?, detail }
 *   hybrid  paths 000 and 002 share: v1's members plus aegis's `error` object
 */
export const API_FAMILIES = ["v1", "aegis", "error", "scim", "hybrid"] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

/** Families whose clients authenticate with seed 002's X-AEGIS-API-Key header. */
export function acceptsAegisApiKey(family: ApiFamily): boolean {
  return family === "aegis" || family === "hybrid";
}

export const SCIM_ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/** Seed 002's standard codes, by status where the error itself names none. */
const AEGIS_CODE_BY_STATUS: Record<number, string> = {
  400: "VALIDATION_ERROR",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  410: "GONE",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
  502: "PROXY_UPSTREAM_FAILED",
  503: "SERVICE_UNAVAILABLE",
  504: "PROXY_UPSTREAM_TIMEOUT",
};

export function aegisCode(status: number, code?: string): string {
  return code ?? AEGIS_CODE_BY_STATUS[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
}

/** The parts of an error every family reads; an unknown error is a bare 500. */
export type ErrorFacts = Pick<ApiError, "status" | "message" | "violations" | "code" | "scimType"> & { policyName?: string; hint?: string; retryAfterSeconds?: number };

export function factsOf(err: ApiError): ErrorFacts {
  const facts: ErrorFacts = { status: err.status, message: err.message, violations: err.violations, code: err.code, scimType: err.scimType };
  if (err instanceof PolicyViolationError) Object.assign(facts, { policyName: err.policyName, hint: err.hint });
  if (err instanceof TooManyRequestsError) facts.retryAfterSeconds = err.retryAfterSeconds;
  return facts;
}

/** Seed 000's violation members only: `path` and `code` are seed 002's detail and stay out of the older bodies. */
function plainViolations(violations: Violation[] | undefined): Violation[] | undefined {
  return violations?.map(({ path: _path, code: _code, ...v }) => v);
}

function fieldPath(v: Violation): (string | number)[] {
  return v.path ?? (v.field ? v.field.split(".") : []);
}

/** seed 002's `error` object: code, message and the detail members its code promises. */
function aegisError(f: ErrorFacts): Record<string, unknown> {
  const code = aegisCode(f.status, f.code);
  const out: Record<string, unknown> = { code, message: f.message };
  const violations = f.violations ?? [];
  if (code === "VALIDATION_ERROR") out.details = violations.map((v) => ({ path: fieldPath(v), code: v.code ?? "invalid", message: v.message }));
  else if (code === "POLICY_VIOLATION") {
    if (f.policyName) out.policy_name = f.policyName;
    if (f.hint) out.hint = f.hint;
    if (violations.length) out.violations = plainViolations(violations);
  } else if (violations.length) out.details = plainViolations(violations);
  if (f.retryAfterSeconds !== undefined) out.retry_after = f.retryAfterSeconds;
  return out;
}

function v1Body(f: ErrorFacts) {
  return f.violations?.length ? { statusCode: f.status, message: f.message, violations: plainViolations(f.violations) } : { statusCode: f.status, message: f.message };
}

function scimBody(f: ErrorFacts) {
  const scimType = f.scimType ?? (f.status === 400 ? "invalidValue" : f.status === 409 ? "uniqueness" : undefined);
  return { schemas: [SCIM_ERROR_URN], status: String(f.status), ...(scimType ? { scimType } : {}), detail: f.message };
}

export function familyErrorBody(family: ApiFamily, f: ErrorFacts): Record<string, unknown> {
  switch (family) {
    case "v1":
      return v1Body(f);
    case "aegis":
      return { error: aegisError(f) };
    case "error":
      return f.violations?.length ? { error: f.message, violations: plainViolations(f.violations) } : { error: f.message };
    case "scim":
      return scimBody(f);
    case "hybrid":
      return { ...v1Body(f), error: aegisError(f) };
  }
}

// --- The same bodies as schemas, for /openapi.json ---

const violation = z.object({ policyId: z.string().optional(), type: z.string().optional(), field: z.string().optional(), message: z.string() });

const aegisInner = z
  .looseObject({
    code: z.string().meta({ description: "UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, VALIDATION_ERROR, POLICY_VIOLATION, PROXY_UPSTREAM_FAILED, PROXY_UPSTREAM_TIMEOUT, INTERNAL_ERROR, SERVICE_UNAVAILABLE, …" }),
    message: z.string(),
    details: z.array(z.unknown()).optional().meta({ description: "VALIDATION_ERROR: one entry per failing field ({ path, code, message }, from zod)" }),
    policy_name: z.string().optional().meta({ description: "POLICY_VIOLATION: the violated policy" }),
    hint: z.string().optional().meta({ description: "POLICY_VIOLATION: what would have been allowed" }),
    retry_after: z.int().optional().meta({ description: "RATE_LIMITED: seconds, as in the Retry-After header" }),
  })
  .meta({ description: "seed 002's error object" });

const v1Shape = { statusCode: z.int(), message: z.string(), violations: z.array(violation).optional() };

export const ERROR_SCHEMAS = {
  v1: z.object(v1Shape).meta({ description: "seed 000: { statusCode, message, violations? }" }),
  aegis: z.object({ error: aegisInner }).meta({ description: "seed 002: { error: { code, message, ...detail } }" }),
  error: z.looseObject({ error: z.string(), violations: z.array(violation).optional() }).meta({ description: "seeds 001, 003, 004: { error: \"message\" }" }),
  scim: z
    .object({ schemas: z.tuple([z.literal(SCIM_ERROR_URN)]), status: z.string(), scimType: z.string().optional(), detail: z.string() })
    .meta({ description: "RFC 7644 §3.12 SCIM error" }),
  hybrid: z.object({ ...v1Shape, error: aegisInner }).meta({ description: "Paths seeds 000 and 002 share: seed 000's members plus seed 002's error object" }),
} satisfies Record<ApiFamily, z.ZodType>;

export function isErrorSchema(schema: unknown): boolean {
  return (Object.values(ERROR_SCHEMAS) as unknown[]).includes(schema);
}

/** Component names in /openapi.json. */
export const ERROR_SCHEMA_NAMES: Record<ApiFamily, string> = { v1: "V1Error", aegis: "AegisError", error: "StringError", scim: "ScimError", hybrid: "HybridError" };
