import { siweVerify } from "@/lib/api/auth";
import { verifySiwe } from "@/lib/auth/accounts";
import { publicUser } from "@/lib/auth/present";
import { createSession, sessionCookie } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/record";
import { guardSignIn } from "@/lib/auth/sign-in-limits";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(siweVerify, async ({ body, ctx }) => {
  const { user, cookie } = await guardSignIn(ctx.ip, () => db().$transaction(async (tx) => {
    const user = await verifySiwe(tx, { message: body.message, signature: body.signature as `0x${string}` }, ctx);
    const session = await createSession(tx, { userId: user.id, method: "siwe", ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(tx, { organizationId: session.activeOrganizationId, actor: { type: "user", id: user.id, label: user.walletAddress }, action: "auth.login", resourceType: "session", resourceId: session.id, details: { method: "siwe" }, context: ctx });
    return { user, cookie: await sessionCookie(session) };
  }));
  return { status: 200, body: { user: publicUser(user) }, cookies: [cookie] };
});
