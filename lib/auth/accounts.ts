import { getAddress, recoverMessageAddress, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { recordAudit, type AuditContext } from "@/lib/audit/record";
import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, ForbiddenError, GoneError, UnauthorizedError } from "@/lib/http/errors";
import { sendMail } from "@/lib/mail/mailer";
import { acceptInvitations, createOrganization, personalOrganizationName } from "@/lib/orgs/organizations";
import { consumeChallenge, storeChallenge } from "./challenges";
import { hashOneTimeToken, newOneTimeToken } from "./tokens";

export const EMAIL_TOKEN_TTL_MS = 24 * 3600_000;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Step one of sign-up: reserve the email. An email that already has a passkey is taken (409); one
 * left half-registered (no passkey yet) can be claimed again, so an abandoned sign-up is not stuck.
 */
export async function beginRegistration(db: DbOrTx, input: { email: string; name: string }) {
  const email = normalizeEmail(input.email);
  const existing = await db.user.findUnique({ where: { email }, include: { _count: { select: { passkeys: true } } } });
  if (existing && existing._count.passkeys > 0) throw new ConflictError("An account with this email already exists");
  if (existing) return db.user.update({ where: { id: existing.id }, data: { name: input.name } });
  return db.user.create({ data: { email, name: input.name } });
}

/** After the first passkey: the user's own organization, and a verification mail. */
export async function finishRegistration(db: DbOrTx, userId: string, ctx: AuditContext) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const memberships = await db.membership.count({ where: { userId } });
  let organizationId: string | null = null;
  if (memberships === 0) {
    const org = await createOrganization(db, { name: personalOrganizationName(user), ownerId: user.id });
    organizationId = org.id;
    await recordAudit(db, { organizationId, actor: { type: "user", id: user.id, label: user.email }, action: "organization.created", resourceType: "organization", resourceId: org.id, context: ctx });
  }
  await recordAudit(db, { organizationId, actor: { type: "user", id: user.id, label: user.email }, action: "user.registered", resourceType: "user", resourceId: user.id, context: ctx });
  if (user.email && !user.emailVerifiedAt) await sendVerificationEmail(db, { id: user.id, email: user.email });
  return { organizationId };
}

export async function sendVerificationEmail(db: DbOrTx, user: { id: string; email: string }) {
  const { token, hash } = newOneTimeToken();
  await db.emailToken.create({ data: { userId: user.id, email: user.email, tokenHash: hash, expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS) } });
  const link = `${env().origin}/verify-email?token=${token}`;
  await sendMail(db, {
    to: user.email,
    subject: "Verify your email for Countersign",
    text: `Confirm this address to finish setting up Countersign:\n\n${link}\n\nThe link works once and expires in 24 hours.`,
  });
}

/**
 * Single use, expiring, and only for the account the link was sent to, signed in: proving the
 * mailbox is not enough to join an organization as someone else's account. On success pending
 * invitations for the address become memberships.
 */
export async function verifyEmail(db: DbOrTx, token: string, signedInUserId: string, ctx: AuditContext, now = new Date()) {
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashOneTimeToken(token) } });
  if (!row) throw new BadRequestError("Invalid verification token", [{ field: "body.token", message: "Invalid token" }]);
  if (row.userId !== signedInUserId) throw new ForbiddenError("This link was sent to another account: sign in as that account, then open the link again");
  if (row.usedAt) throw new GoneError("This verification link was already used");
  if (row.expiresAt <= now) throw new GoneError("This verification link has expired");
  const claimed = await db.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count !== 1) throw new GoneError("This verification link was already used");
  const user = await db.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: now } });
  if (user.email !== row.email) throw new BadRequestError("This link was sent to an address that is no longer on the account");
  const joined = await acceptInvitations(db, { id: user.id, email: row.email }, now);
  await recordAudit(db, { organizationId: null, actor: { type: "user", id: user.id, label: user.email }, action: "user.email_verified", resourceType: "user", resourceId: user.id, context: ctx });
  for (const j of joined) {
    await recordAudit(db, { organizationId: j.organizationId, actor: { type: "user", id: user.id, label: user.email }, action: "member.joined", resourceType: "membership", resourceId: user.id, details: { role: j.role }, context: ctx });
  }
  return user;
}

export async function siweNonce(db: DbOrTx): Promise<string> {
  const nonce = generateSiweNonce();
  await storeChallenge(db, nonce, "siwe");
  return nonce;
}

/**
 * Sign-In With Ethereum (EIP-4361) for externally owned accounts: the message must name this
 * origin's host, carry a nonce we issued (consumed once), be in its validity window, and be signed
 * by the address it names. A new address gets an account and its own organization.
 */
export async function verifySiwe(db: DbOrTx, input: { message: string; signature: Hex }, ctx: AuditContext) {
  const parsed = parseSiweMessage(input.message);
  if (!parsed.address || !parsed.nonce || !parsed.domain) throw new BadRequestError("Malformed SIWE message", [{ field: "body.message", message: "Not an EIP-4361 message" }]);
  const host = new URL(env().origin).host;
  if (!validateSiweMessage({ message: parsed, domain: host, time: new Date() })) throw new UnauthorizedError("SIWE message is not valid for this site or has expired");
  if (parsed.uri && new URL(parsed.uri).origin !== env().origin) throw new UnauthorizedError("SIWE message URI does not match this site");
  await consumeChallenge(db, parsed.nonce, ["siwe"]);
  let signer: string;
  try {
    signer = await recoverMessageAddress({ message: input.message, signature: input.signature });
  } catch {
    throw new UnauthorizedError("Invalid SIWE signature");
  }
  const address = getAddress(parsed.address);
  if (getAddress(signer) !== address) throw new UnauthorizedError("SIWE signature does not match the message's address");
  let user = await db.user.findUnique({ where: { walletAddress: address } });
  if (!user) {
    user = await db.user.create({ data: { walletAddress: address } });
    const org = await createOrganization(db, { name: personalOrganizationName(user), ownerId: user.id });
    await recordAudit(db, { organizationId: org.id, actor: { type: "user", id: user.id, label: address }, action: "user.registered", resourceType: "user", resourceId: user.id, details: { method: "siwe" }, context: ctx });
  }
  return user;
}
