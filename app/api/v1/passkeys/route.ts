import { listPasskeys } from "@/lib/api/organizations";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";
import { publicPasskey } from "@/lib/auth/passkey-admin";

export const GET = handle(listPasskeys, async ({ principal }) => {
  const rows = await db().passkey.findMany({ where: { userId: userOf(principal).userId }, orderBy: { createdAt: "asc" } });
  return { status: 200, body: { passkeys: rows.map(publicPasskey) } };
});
