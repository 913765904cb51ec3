/**
 * Typed errors for the whole API. Route handlers and domain code throw these; `toErrorResponse`
 * (lib/http/respond.ts) is the one place that maps them to HTTP.
 */
export type Violation = { policyId?: string; type?: string; field?: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly violations?: Violation[];
  readonly headers?: Record<string, string>;
  constructor(status: number, message: string, opts: { violations?: Violation[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.status = status;
    this.violations = opts.violations;
    this.headers = opts.headers;
  }
}

export class BadRequestError extends ApiError {
  constructor(message = "Bad request", violations?: Violation[]) {
    super(400, message, { violations });
  }
}
export class UnauthorizedError extends ApiError {
  constructor(message = "Unauthorized") {
    super(401, message);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message = "Forbidden", violations?: Violation[]) {
    super(403, message, { violations });
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
  constructor(message = "Conflict") {
    super(409, message);
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
export class TooManyRequestsError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, "Too many requests", { headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}
export class ServiceUnavailableError extends ApiError {
  constructor(message = "Service degraded") {
    super(503, message);
  }
}

/** The key store has no master key: nothing that needs a secret at rest may run. */
export class SealedError extends ServiceUnavailableError {
  constructor() {
    super("Key store is sealed: no master key is configured");
  }
}
