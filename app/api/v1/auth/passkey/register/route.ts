import { passkeyRegister } from "@/lib/api/auth";
import { finishRegistration } from "@/lib/auth/accounts";
import { completeRegistration, registrationOptions } from "@/lib/auth/passkeys";
import { createSession, sessionCookie } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { UnauthorizedError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";

export const POST = handle(passkeyRegister, async ({ body, principal, ctx }) => {
  const sessionUserId = principal.type === "user" ? principal.userId : null;
  if (!body.credential) {
    if (principal.type !== "user") throw new UnauthorizedError("Sign in to add a passkey, or start with POST /api/v1/auth/register");
    const options = await registrationOptions(db(), { ...principal.session.user }, "add_passkey");
    return { status: 200, body: { options } };
  }
  const credential = body.credential;
  const { passkey, cookie } = await db().$transaction(async (tx) => {
    const passkey = await completeRegistration(tx, credential as never, body.name, sessionUserId);
    const actor = { type: "user" as const, id: passkey.userId };
    let cookie: string | undefined;
    let organizationId = principal.type === "user" ? principal.organizationId : null;
    if (passkey.purpose === "register") {
      organizationId = (await finishRegistration(tx, passkey.userId, ctx)).organizationId;
      const session = await createSession(tx, { userId: passkey.userId, method: "passkey", ip: ctx.ip, userAgent: ctx.userAgent });
      cookie = await sessionCookie(session);
    }
    await recordAudit(tx, { organizationId, actor, action: "auth.passkey_registered", resourceType: "passkey", resourceId: passkey.id, context: ctx });
    return { passkey, cookie };
  });
  return {
    status: 201,
    body: { passkey: { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt.toISOString() } },
    cookies: cookie ? [cookie] : [],
  };
});
