import type { DbOrTx } from "@/lib/db/client";
import { ConflictError, NotFoundError } from "@/lib/http/errors";

export function publicPasskey(p: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; deviceType: string; backedUp: boolean }) {
  return { id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null, deviceType: p.deviceType, backedUp: p.backedUp };
}

/** A user's own passkey, or 404 — never another user's. */
export async function ownPasskey(db: DbOrTx, userId: string, id: string) {
  const p = await db.passkey.findFirst({ where: { id, userId } });
  if (!p) throw new NotFoundError("Passkey not found");
  return p;
}

export async function deletePasskey(db: DbOrTx, userId: string, id: string) {
  const p = await ownPasskey(db, userId, id);
  const hasWallet = (await db.user.findUniqueOrThrow({ where: { id: userId } })).walletAddress !== null;
  if (!hasWallet && (await db.passkey.count({ where: { userId } })) <= 1) throw new ConflictError("You cannot remove your only passkey");
  await db.passkey.delete({ where: { id: p.id } });
  return p;
}
