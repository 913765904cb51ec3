/** Seed 001 operator applications (POST /apply), and the instance admin's review of them. */
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { issueCredential } from "@/lib/auth/credentials";
import { env } from "@/lib/config/env";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { sendMail } from "@/lib/mail/mailer";

export const APPLY_ERRORS = {
  name: "Name is required",
  email: "Invalid email format",
  duplicate: "An application with this email already exists.",
  rateLimited: "Too many requests. Please try again later.",
} as const;

export const APPLICATION_RECEIVED = "Application received. We will review it and get back to you shortly.";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = (v: unknown, max: number) => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, max) : null);

/** Validates in the seed's order (name, then email) and stores; the email is compared case-insensitively. */
export async function submitApplication(db: DbOrTx, body: Record<string, unknown>) {
  const name = text(body.name, 200);
  if (!name) throw new BadRequestError(APPLY_ERRORS.name);
  const email = typeof body.email === "string" ? body.email.trim().toLowerCase() : "";
  if (!EMAIL.test(email) || email.length > 254) throw new BadRequestError(APPLY_ERRORS.email);
  const existing = await db.trustApplication.findUnique({ where: { email } });
  if (existing) throw new ConflictError(APPLY_ERRORS.duplicate);
  try {
    return await db.trustApplication.create({ data: { name, email, company: text(body.company, 200), reason: text(body.reason, 2000) } });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new ConflictError(APPLY_ERRORS.duplicate);
    throw err;
  }
}

// --- The instance admin's review (dashboard /settings/applications, /api/v1/admin/applications) ---

export const APPLICATION_STATUSES = ["pending", "approved", "rejected"] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Scopes of the first API key an approved operator gets (mailed once, stored hashed). */
export const OPERATOR_KEY_SCOPES = ["trust:read", "trust:write"] as const;

type ApplicationRow = Awaited<ReturnType<DbOrTx["trustApplication"]["findUniqueOrThrow"]>>;

export function presentApplication(a: ApplicationRow) {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    company: a.company,
    reason: a.reason,
    status: a.status as ApplicationStatus,
    createdAt: a.createdAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    rejectionReason: a.rejectionReason,
    organizationId: a.organizationId,
  };
}

export async function listApplications(db: DbOrTx, status?: ApplicationStatus, take = 200) {
  const rows = await db.trustApplication.findMany({ where: status ? { status } : {}, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take });
  return rows.map(presentApplication);
}

export type Reviewer = { userId: string; actor: AuditActor; context?: AuditContext };

/**
 * Claims a pending application for one decision: a conditional update, so two admins (or two
 * instances) deciding at once get one decision and one 409.
 */
async function claim(tx: Tx, id: string, data: Prisma.TrustApplicationUpdateManyMutationInput) {
  const { count } = await tx.trustApplication.updateMany({ where: { id, status: "pending" }, data });
  if (count === 1) return tx.trustApplication.findUniqueOrThrow({ where: { id } });
  const existing = await tx.trustApplication.findUnique({ where: { id } });
  if (!existing) throw new NotFoundError("Application not found");
  throw new ConflictError(`This application was already ${existing.status}`);
}

/**
 * Approve: the operator organization (named after the company, or the applicant), its seed 001
 * operator id, a first organization API key (`trust:read` + `trust:write`) and the applicant as its
 * owner — at once when a user has verified that address, otherwise by an owner invitation that turns
 * into a membership when they sign up and verify it. The key is shown once, in the mail to the
 * applicant (stored hashed; never in the audit event or the answer).
 */
export async function approveApplication(db: Db, id: string, who: Reviewer, now = new Date()) {
  const done = await db.$transaction(async (tx) => {
    const app = await claim(tx, id, { status: "approved", decidedAt: now, decidedById: who.userId });
    const user = await tx.user.findUnique({ where: { email: app.email } });
    const org = await tx.organization.create({ data: { name: app.company ?? `${app.name}'s organization` } });
    const joined = user?.emailVerifiedAt ? await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: "owner" } }) : null;
    if (!joined) await tx.invitation.create({ data: { organizationId: org.id, email: app.email, role: "owner" } });
    await tx.trustOperator.create({ data: { organizationId: org.id } });
    const key = await issueCredential(tx, { organizationId: org.id, kind: "organization_key", name: "Seed 001 operator key", scopes: [...OPERATOR_KEY_SCOPES] });
    const updated = await tx.trustApplication.update({ where: { id }, data: { organizationId: org.id } });
    await recordAudit(tx, {
      organizationId: org.id,
      ...who,
      action: "trust.application_approved",
      resourceType: "trust_application",
      resourceId: id,
      details: { email: app.email, organizationId: org.id, owner: joined ? "member" : "invited", apiKeyPrefix: key.credential.prefix },
    });
    return { application: updated, organization: org, owner: joined ? ("member" as const) : ("invited" as const), secret: key.secret, prefix: key.credential.prefix };
  });
  const signIn = `${env().origin}/sign-in`;
  await sendMail(db, {
    to: done.application.email,
    subject: "Your Countersign operator application was approved",
    text: [
      `Hello ${done.application.name},`,
      "",
      `Your application was approved: the organization "${done.organization.name}" is yours.`,
      done.owner === "member" ? `Sign in at ${signIn} to manage it.` : `Sign up at ${signIn} with this address and verify it: you join as its owner.`,
      "",
      "Your first API key (scopes trust:read and trust:write; shown only here, keep it secret):",
      "",
      done.secret,
      "",
      "Send it as Authorization: Bearer <key> to POST /register, POST /transactions and GET /me.",
    ].join("\n"),
  });
  return { application: presentApplication(done.application), organization: { id: done.organization.id, name: done.organization.name }, owner: done.owner, apiKeyPrefix: done.prefix };
}

export async function rejectApplication(db: Db, id: string, reason: string, who: Reviewer, now = new Date()) {
  const app = await db.$transaction(async (tx) => {
    const row = await claim(tx, id, { status: "rejected", decidedAt: now, decidedById: who.userId, rejectionReason: reason });
    await recordAudit(tx, { organizationId: null, ...who, action: "trust.application_rejected", resourceType: "trust_application", resourceId: id, details: { email: row.email, reason } });
    return row;
  });
  await sendMail(db, {
    to: app.email,
    subject: "Your Countersign operator application",
    text: `Hello ${app.name},\n\nYour application was not approved.\n\nReason: ${reason}\n`,
  });
  return presentApplication(app);
}
