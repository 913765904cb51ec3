import { verifyEmail } from "@/lib/api/auth";
import { verifyEmail as verify } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(verifyEmail, async ({ body, ctx }) => {
  await db().$transaction((tx) => verify(tx, body.token, ctx));
  return { status: 200, body: { verified: true as const } };
});
