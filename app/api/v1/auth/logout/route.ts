import { logout } from "@/lib/api/auth";
import { clearedSessionCookie, revokeSession } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { actorOf } from "@/lib/http/principal";
import { handle } from "@/lib/http/handle";

export const POST = handle(logout, async ({ principal, ctx }) => {
  if (principal.type === "user") {
    await db().$transaction(async (tx) => {
      await revokeSession(tx, principal.session.sessionId);
      await recordAudit(tx, { organizationId: principal.organizationId, actor: actorOf(principal), action: "auth.logout", resourceType: "session", resourceId: principal.session.sessionId, context: ctx });
    });
  }
  return { status: 204, body: undefined, cookies: [clearedSessionCookie()] };
});
