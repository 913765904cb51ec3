export interface ApiViolation {
  path?: string;
  message: string;
}

/** A non-2xx answer from the Countersign API, carrying its `{ statusCode, message, violations? }` body. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly violations: readonly ApiViolation[];

  constructor(statusCode: number, message: string, violations: readonly ApiViolation[] = []) {
    super(message);
    this.name = "ApiError";
    this.statusCode = statusCode;
    this.violations = violations;
  }
}

/** The request never produced an HTTP answer (offline, DNS, CORS, aborted). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("Could not reach Countersign. Check your connection and try again.", { cause });
    this.name = "NetworkError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function parseViolations(value: unknown): ApiViolation[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): ApiViolation[] => {
    if (typeof item === "string") return [{ message: item }];
    if (isRecord(item) && typeof item.message === "string") {
      // seed 000's error shape names the input as `field` ("body.config.maxAmount"); zod-style bodies use `path`.
      const path = Array.isArray(item.path) ? item.path.join(".") : typeof item.path === "string" ? item.path : typeof item.field === "string" ? item.field : undefined;
      return [{ message: item.message, ...(path ? { path } : {}) }];
    }
    return [];
  });
}

const fallbackMessages: Record<number, string> = {
  400: "The request was not valid.",
  401: "You are signed out. Sign in again to continue.",
  403: "You do not have permission to do that.",
  404: "Not found.",
  409: "That conflicts with the current state.",
  429: "Too many attempts. Wait a moment and try again.",
};

/** Builds an ApiError from a status and whatever body came back (JSON error object, text, or nothing). */
export function apiErrorFromBody(statusCode: number, body: unknown): ApiError {
  if (isRecord(body)) {
    // seed 002 (AEGIS) routes answer { error: { code, message } }
    const aegis = isRecord(body.error) && typeof body.error.message === "string" && body.error.message.length > 0 ? body.error.message : undefined;
    const message = typeof body.message === "string" && body.message.length > 0 ? body.message : aegis;
    return new ApiError(
      statusCode,
      message ?? fallbackMessages[statusCode] ?? `Request failed (${statusCode}).`,
      parseViolations(body.violations),
    );
  }
  return new ApiError(statusCode, fallbackMessages[statusCode] ?? `Request failed (${statusCode}).`);
}

/** A human sentence for any error thrown while talking to the API. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const first = error.violations[0];
    if (first) return first.path ? `${first.path.replace(/^(body|query|params)\./, "")}: ${first.message}` : first.message;
    return error.message;
  }
  if (error instanceof NetworkError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something unexpected happened.";
}
