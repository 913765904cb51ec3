/**
 * Errors the SDK throws for the server's answers (an API error, a guardrail refusal, an approval that
 * did not come): a module of their own, so the CLI can catch them without loading the signing code.
 */

export class CountersignApiError extends Error {
  constructor(readonly status: number, readonly body: { statusCode?: number; message?: string; violations?: { policyId?: string; type?: string; message: string }[] }) {
    super(body.message ?? `HTTP ${status}`);
  }
}

export type PolicyViolation = { policyId: string; type: string; message: string };

/** The server refused to co-sign: 403 "Policy violation" listing every violated guardrail. */
export class PolicyViolationError extends CountersignApiError {
  override name = "PolicyViolationError";
  readonly violations: PolicyViolation[];
  constructor(status: number, body: CountersignApiError["body"]) {
    super(status, body);
    this.violations = (body.violations ?? []) as PolicyViolation[];
  }
}

/** A session parked for approval ended without being approved (rejected, expired or aborted). */
export class ApprovalRejectedError extends Error {
  override name = "ApprovalRejectedError";
  constructor(readonly sessionId: string, readonly status: string, readonly signingRequestId: string | null) {
    super(status === "rejected" ? "The signing request was rejected by an approver" : `The signing request was not approved (session ${status})`);
  }
}
