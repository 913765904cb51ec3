import { env } from "@/lib/config/env";

/**
 * Instance administrators (issue #15): the people who run this Countersign installation, as opposed
 * to an organization's owners and admins (lib/auth/permissions.ts). They are named by e-mail in
 * INSTANCE_ADMIN_EMAILS and must have verified that address (so registering someone else's address
 * grants nothing). Configuration, not data: no organization member can make anyone an instance admin.
 */
export function instanceAdminEmails(): ReadonlySet<string> {
  const raw = env().INSTANCE_ADMIN_EMAILS ?? "";
  return new Set(raw.split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== ""));
}

export function isInstanceAdmin(user: { email: string | null; emailVerified?: boolean; emailVerifiedAt?: Date | null }): boolean {
  if (!user.email) return false;
  const verified = user.emailVerified ?? (user.emailVerifiedAt !== null && user.emailVerifiedAt !== undefined);
  return verified && instanceAdminEmails().has(user.email.trim().toLowerCase());
}
