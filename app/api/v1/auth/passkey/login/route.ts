import { passkeyLogin } from "@/lib/api/auth";
import { verifyLogin } from "@/lib/auth/passkeys";
import { publicUser } from "@/lib/auth/present";
import { createSession, sessionCookie } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/record";
import { guardSignIn } from "@/lib/auth/sign-in-limits";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";

export const POST = handle(passkeyLogin, async ({ body, ctx }) => {
  try {
    const { user, cookie } = await guardSignIn(ctx.ip, () => db().$transaction(async (tx) => {
      const { userId, passkeyId } = await verifyLogin(tx, body.credential as never);
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      const session = await createSession(tx, { userId, method: "passkey", ip: ctx.ip, userAgent: ctx.userAgent });
      await recordAudit(tx, {
        organizationId: session.activeOrganizationId,
        actor: { type: "user", id: userId, label: user.email },
        action: "auth.login",
        resourceType: "session",
        resourceId: session.id,
        details: { method: "passkey", passkeyId },
        context: ctx,
      });
      return { user, cookie: await sessionCookie(session) };
    }));
    return { status: 200, body: { user: publicUser(user) }, cookies: [cookie] };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      await recordAudit(db(), { organizationId: null, actor: { type: "anonymous" }, action: "auth.login", resourceType: "session", outcome: "failure", details: { method: "passkey", reason: err.message }, context: ctx });
    }
    throw err;
  }
});
