import { deletePasskey, renamePasskey } from "@/lib/api/organizations";
import { deletePasskey as remove, ownPasskey, publicPasskey } from "@/lib/auth/passkey-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { userOf } from "@/lib/http/scope";

export const PATCH = handle(renamePasskey, async ({ params, body, principal }) => {
  const user = userOf(principal);
  await ownPasskey(db(), user.userId, params.id);
  const p = await db().passkey.update({ where: { id: params.id }, data: { name: body.name } });
  return { status: 200, body: { passkey: publicPasskey(p) } };
});

export const DELETE = handle(deletePasskey, async ({ params, principal, ctx }) => {
  const user = userOf(principal);
  await db().$transaction(async (tx) => {
    const p = await remove(tx, user.userId, params.id);
    await recordAudit(tx, { organizationId: user.organizationId, actor: actorOf(principal), action: "auth.passkey_removed", resourceType: "passkey", resourceId: p.id, details: { name: p.name }, context: ctx });
  });
  return { status: 204, body: undefined };
});
