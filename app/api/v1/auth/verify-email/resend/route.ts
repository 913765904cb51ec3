import { resendVerification } from "@/lib/api/auth";
import { sendVerificationEmail } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";

export const POST = handle(resendVerification, async ({ principal }) => {
  const { user } = userOf(principal).session;
  if (!user.email) throw new ConflictError("This account has no email address");
  if (user.emailVerified) throw new ConflictError("This email address is already verified");
  await sendVerificationEmail(db(), { id: user.id, email: user.email });
  return { status: 202, body: { sent: true as const } };
});
