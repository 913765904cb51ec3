import type { z } from "zod";

export interface ValidationIssue {
  /** Dotted path with array indices, e.g. `rules[3].when.all[0].op`; "" for the root. */
  path: string;
  message: string;
}

/** Invalid policy config or rules document; maps to an HTTP 400. */
export class PolicyValidationError extends Error {
  readonly statusCode = 400;
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[]) {
    super(`Invalid ${subject}: ${issues.map(formatIssue).join("; ")}`);
    this.name = "PolicyValidationError";
    this.issues = issues;
  }

  /** The HTTP 400 body for an invalid policy config or rules document. */
  toResponseBody(): { statusCode: 400; message: string; errors: ValidationIssue[] } {
    return { statusCode: 400, message: this.message, errors: [...this.issues] };
  }
}

/** The request handed to the engine is not well-formed (a caller bug, not a policy outcome). */
export class PolicyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyRequestError";
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Flattens zod issues into path/message pairs; unrecognised keys become one issue per key. */
export function zodIssues(error: z.ZodError): { rawPath: PropertyKey[]; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ rawPath: [...issue.path, key], message: `unknown key "${key}"` }))
      : [{ rawPath: [...issue.path], message: issue.message }],
  );
}

export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return zodIssues(error).map((i) => ({ path: formatPath([...prefix, ...i.rawPath]), message: i.message }));
}
