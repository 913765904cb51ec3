import { register } from "@/lib/api/auth";
import { beginRegistration } from "@/lib/auth/accounts";
import { registrationOptions } from "@/lib/auth/passkeys";
import { publicUser } from "@/lib/auth/present";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(register, async ({ body }) => {
  const { user, passkeyOptions } = await db().$transaction(async (tx) => {
    const user = await beginRegistration(tx, body);
    return { user, passkeyOptions: await registrationOptions(tx, user, "register") };
  });
  return { status: 201, body: { user: publicUser(user), passkeyOptions } };
});
