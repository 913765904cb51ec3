import { createHash, randomBytes } from "node:crypto";
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { challengeFromClientData } from "@/lib/auth/challenges";
import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from "@/lib/http/errors";
import { authenticationCredential } from "@/lib/api/schemas";
import { sessionSubjectHash } from "@/lib/identity/mock-passport";
import { newId } from "./ids";

/**
 * Passkey binding for accepting a request. The WebAuthn challenge is
 *
 *   sha256("countersign-approval-v1" ‖ 0 ‖ requestId ‖ 0 ‖ subjectHash ‖ 0 ‖ nonce)
 *
 * where subjectHash is the safeTxHash (safe mode) or the signing session's hash (relay mode) shown
 * to the human, and nonce is random. It is stored single-use with an expiry; POST /api/responses
 * takes the assertion in the X-Countersign-Assertion header as
 * base64url(JSON.stringify({ challengeId, response })).
 */
export const APPROVAL_CHALLENGE_TTL_MS = 5 * 60_000;
export const ASSERTION_HEADER = "x-countersign-assertion";

/** Pure: the challenge bytes for a request, hash and nonce. */
export function approvalChallengeBytes(requestId: string, subjectHash: string, nonce: string): Uint8Array<ArrayBuffer> {
  const h = createHash("sha256");
  h.update("countersign-approval-v1\0");
  h.update(requestId);
  h.update("\0");
  h.update(subjectHash.toLowerCase());
  h.update("\0");
  h.update(nonce);
  return new Uint8Array(h.digest());
}

/**
 * What a passkey approval commits to: a seed 004 request (by notification), a parked signing
 * request, a pending gateway check (its id and arguments digest), or a seed 003 proof-of-human
 * session the mock passport page completes (its id and lib/identity's session subject hash; the
 * caller checks the member belongs to the organization that owns the session's agent).
 */
export type ApprovalSubject = { notificationId: string } | { signingRequestId: string } | { gatewayCheckId: string } | { identitySessionId: string };

async function resolveSubject(db: DbOrTx, organizationId: string, subject: ApprovalSubject): Promise<{ requestId: string; subjectHash: string }> {
  if ("notificationId" in subject) {
    const n = await db.approvalNotification.findFirst({ where: { id: subject.notificationId, organizationId }, include: { request: true } });
    if (!n) throw new NotFoundError("Notification not found");
    return { requestId: n.request.id, subjectHash: n.request.subjectHash };
  }
  if ("identitySessionId" in subject) {
    const s = await db.identitySession.findUnique({ where: { id: subject.identitySessionId } });
    if (!s) throw new NotFoundError("Session not found");
    return { requestId: s.id, subjectHash: sessionSubjectHash(s) };
  }
  if ("gatewayCheckId" in subject) {
    const c = await db.gatewayCheck.findFirst({ where: { id: subject.gatewayCheckId, organizationId }, select: { id: true, argumentsDigest: true } });
    if (!c) throw new NotFoundError("Check not found");
    return { requestId: c.id, subjectHash: c.argumentsDigest };
  }
  const sr = await db.signingRequest.findFirst({ where: { id: subject.signingRequestId, organizationId } });
  if (!sr) throw new NotFoundError("Signing request not found");
  if (!sr.messageHash) throw new BadRequestError("This signing request has no hash to confirm");
  return { requestId: sr.id, subjectHash: sr.messageHash };
}

export async function createApprovalChallenge(db: DbOrTx, input: { organizationId: string; userId: string; subject: ApprovalSubject }) {
  const { requestId, subjectHash } = await resolveSubject(db, input.organizationId, input.subject);
  const passkeys = await db.passkey.findMany({ where: { userId: input.userId }, select: { credentialId: true, transports: true } });
  if (passkeys.length === 0) throw new BadRequestError("You have no passkey: add one under Settings → Passkeys to approve requests");
  const nonce = randomBytes(16).toString("base64url");
  const options = await generateAuthenticationOptions({
    rpID: env().rpId,
    challenge: approvalChallengeBytes(requestId, subjectHash, nonce),
    userVerification: "required",
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    timeout: APPROVAL_CHALLENGE_TTL_MS,
  });
  const row = await db.approvalChallenge.create({
    data: {
      id: newId("apc"),
      organizationId: input.organizationId,
      userId: input.userId,
      requestId,
      subjectHash,
      nonce,
      challenge: options.challenge,
      expiresAt: new Date(Date.now() + APPROVAL_CHALLENGE_TTL_MS),
    },
  });
  return { challengeId: row.id, options, requestId, subjectHash };
}

const envelope = z.object({ challengeId: z.string().min(1).max(100), response: authenticationCredential });

/** Parses the header; malformed → 400. */
export function parseAssertionHeader(value: string): { challengeId: string; response: AuthenticationResponseJSON } {
  try {
    const parsed = envelope.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data as { challengeId: string; response: AuthenticationResponseJSON };
  } catch {
    // fall through
  }
  throw new BadRequestError("X-Countersign-Assertion must be base64url(JSON.stringify({ challengeId, response }))");
}

/**
 * Verifies an assertion for this user and request: the challenge must be theirs, unexpired, unused,
 * issued for this request and hash (403 otherwise), and the passkey signature must verify. The
 * challenge is consumed even when verification fails afterwards.
 */
export async function verifyApprovalAssertion(
  db: DbOrTx,
  input: { organizationId: string; userId: string; requestId: string; subjectHash: string; header: string },
  now = new Date(),
): Promise<{ passkeyId: string; challengeId: string }> {
  const { challengeId, response } = parseAssertionHeader(input.header);
  const ch = await db.approvalChallenge.findFirst({ where: { id: challengeId, organizationId: input.organizationId, userId: input.userId } });
  if (!ch) throw new ForbiddenError("Unknown passkey challenge: request a new one from the approval page");
  if (ch.requestId !== input.requestId || ch.subjectHash.toLowerCase() !== input.subjectHash.toLowerCase()) {
    throw new ForbiddenError("This passkey assertion was made for a different request");
  }
  const expected = Buffer.from(approvalChallengeBytes(ch.requestId, ch.subjectHash, ch.nonce)).toString("base64url");
  if (expected !== ch.challenge || challengeFromClientData(response.response.clientDataJSON) !== ch.challenge) {
    throw new ForbiddenError("The passkey assertion does not answer this request's challenge");
  }
  const used = await db.approvalChallenge.updateMany({ where: { id: ch.id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  if (used.count !== 1) throw new ForbiddenError("This passkey challenge was already used or has expired: confirm again");
  const passkey = await db.passkey.findUnique({ where: { credentialId: response.id } });
  if (!passkey || passkey.userId !== input.userId) throw new ForbiddenError("This passkey does not belong to you");
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: ch.challenge,
      expectedOrigin: env().origin,
      expectedRPID: env().rpId,
      requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: passkey.transports as never },
    });
  } catch (err) {
    throw new ForbiddenError(`Passkey verification failed: ${(err as Error).message}`);
  }
  if (!verification.verified) throw new ForbiddenError("Passkey verification failed");
  await db.passkey.update({ where: { id: passkey.id }, data: { counter: BigInt(verification.authenticationInfo.newCounter), lastUsedAt: now } });
  return { passkeyId: passkey.id, challengeId: ch.id };
}

export class PasskeyRequiredError extends UnauthorizedError {
  constructor(valueWei: string, thresholdWei: string) {
    super(
      `Accepting this request needs your passkey: its value (${valueWei} wei) is above your organization's threshold (${thresholdWei} wei). Open the approval page and confirm with your passkey.`,
    );
  }
}

