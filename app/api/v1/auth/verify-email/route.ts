import { verifyEmail } from "@/lib/api/auth";
import { verifyEmail as verify } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";

export const POST = handle(verifyEmail, async ({ body, principal, ctx }) => {
  const { userId } = userOf(principal);
  await db().$transaction((tx) => verify(tx, body.token, userId, ctx));
  return { status: 200, body: { verified: true as const } };
});
