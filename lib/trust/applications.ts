/** Seed 001 operator applications (POST /apply): stored for an instance admin to review. */
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError } from "@/lib/http/errors";

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
