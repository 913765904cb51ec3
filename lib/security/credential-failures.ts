/**
 * Failed machine-credential authentication (API keys, signer keys, SCIM tokens, agent tokens),
 * limited per client address (issue #12). authenticate() calls `credentialFailed` only when a
 * presented secret did not verify (unknown, revoked, expired, bad signature); a valid key never
 * reaches this code, so it costs valid keys nothing and is never refused here, from any address.
 *
 * Per address and minute, the first CREDENTIAL_FAILURES.limit failures answer 401 and are each
 * logged as a `credential_failed` security event; past that the address's failed attempts answer 429
 * with Retry-After, and one `credential_rate_limited` event marks the crossing (a flood costs one
 * counter update per request, not a row each). Secrets are 256-bit, so guessing is not what this
 * stops: it bounds the noise one address can cause, tells a misconfigured client to back off, and
 * leaves a trail for the organization whose key prefix was presented.
 */
import { decodeProtectedHeader } from "jose";
import { db } from "@/lib/db/client";
import type { CredentialKind } from "@/lib/generated/prisma/enums";
import { ApiError, TooManyRequestsError } from "@/lib/http/errors";
import { countHit } from "@/lib/http/rate-limit";
import { log } from "@/lib/log/logger";
import { recordSecurityEvent, type PresentedCredentialType } from "./events";

export const CREDENTIAL_FAILURES = { name: "credential-failures", limit: 20, windowSeconds: 60, message: "Too many failed authentication attempts from this address; try again later" } as const;

const PREFIX_KIND: Record<string, CredentialKind> = { cso_: "organization_key", css_: "signer_key", csa_: "agent_token", csm_: "scim_token" };
const TOKEN_PREFIX = /^(cs[osam]_[A-Za-z0-9]{12})_/;

export type FailedCredential = { header: "x-aegis-agent-token"; token: string } | { header: "x-api-key" | "x-aegis-api-key" | "authorization"; token: string };
export type FailureContext = { ip: string | null; method: string; route: string; requestId: string | null };

/** The public part of what was presented: a credential's visible prefix, or an agent token's key id. Never the secret. */
export function describePresented(c: FailedCredential): { type: PresentedCredentialType; hint: string | null; prefix: string | null } {
  if (c.header === "x-aegis-agent-token") {
    try {
      const kid = decodeProtectedHeader(c.token).kid;
      return { type: "agent_jwt", hint: typeof kid === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(kid) ? `kid:${kid}` : null, prefix: null };
    } catch {
      return { type: "malformed", hint: null, prefix: null };
    }
  }
  const m = TOKEN_PREFIX.exec(c.token);
  if (!m) return { type: "malformed", hint: null, prefix: null };
  return { type: PREFIX_KIND[m[1]!.slice(0, 4)] ?? "malformed", hint: m[1]!, prefix: m[1]! };
}

/**
 * Counts one failed credential authentication from this address, logs it, and returns the error to
 * throw: the original 401, or a 429 once the address is past its limit. Errors other than 401
 * (a paused agent's 403) are returned unchanged and not counted.
 */
export async function credentialFailed(err: unknown, presented: FailedCredential, ctx: FailureContext, now = Date.now()): Promise<unknown> {
  if (!(err instanceof ApiError) || err.status !== 401) return err;
  const { count, windowEnd } = await countHit(CREDENTIAL_FAILURES, ctx.ip ?? "unknown", now);
  const over = count > CREDENTIAL_FAILURES.limit;
  if (!over || count === CREDENTIAL_FAILURES.limit + 1) {
    const p = describePresented(presented);
    // A real credential's prefix names its organization: its admins see the attempt (one indexed lookup).
    const known = p.prefix ? await db().credential.findUnique({ where: { prefix: p.prefix }, select: { id: true, organizationId: true } }) : null;
    await recordSecurityEvent(db(), {
      kind: over ? "credential_rate_limited" : "credential_failed",
      organizationId: known?.organizationId ?? null,
      credentialType: p.type,
      credentialHint: p.hint,
      credentialId: known?.id ?? null,
      ip: ctx.ip,
      method: ctx.method,
      route: ctx.route,
      requestId: ctx.requestId,
    });
    log.warn(over ? "credential failures: address rate-limited" : "credential authentication failed", { ip: ctx.ip, route: ctx.route, presented: p.hint ?? p.type, requestId: ctx.requestId });
  }
  return over ? new TooManyRequestsError((windowEnd - now) / 1000, CREDENTIAL_FAILURES.message) : err;
}
