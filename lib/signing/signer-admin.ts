import type { Prisma } from "@/lib/generated/prisma/client";
import type { DbOrTx } from "@/lib/db/client";
import { issueCredential } from "@/lib/auth/credentials";
import { BadRequestError, ConflictError, ForbiddenError } from "@/lib/http/errors";
import { verifyRotation } from "./long-term-identity";
import { getSigner, SIGNER_KEY_SCOPES } from "./signers";

/** Pause blocks all signing at once (new sessions and rounds of open ones). */
export async function setPaused(db: DbOrTx, organizationId: string, id: string, paused: boolean) {
  const s = await getSigner(db, organizationId, id);
  if (paused && s.status !== "active") throw new ConflictError(`Only an active signer can be paused (it is ${s.status})`);
  if (!paused && s.status !== "paused") throw new ConflictError(`Only a paused signer can be resumed (it is ${s.status})`);
  return db.signer.update({ where: { id }, data: { status: paused ? "paused" : "active" } });
}

export async function updateSigner(db: DbOrTx, organizationId: string, id: string, data: { name?: string; description?: string | null }) {
  await getSigner(db, organizationId, id);
  return db.signer.update({ where: { id }, data });
}

/**
 * Deletion wipes the server's share (so the key can never sign again through this server), the
 * encrypted user share and the signer's API keys; the row stays for the audit trail and history.
 */
export async function deleteSigner(db: DbOrTx, organizationId: string, id: string) {
  const s = await getSigner(db, organizationId, id);
  await db.signerShare.deleteMany({ where: { signerId: id } });
  await db.userShare.deleteMany({ where: { signerId: id } });
  await db.credential.updateMany({ where: { subjectType: "signer", subjectId: id, revokedAt: null }, data: { revokedAt: new Date() } });
  await db.ceremony.updateMany({ where: { signerId: id, status: { in: ["open", "pending_approval"] } }, data: { status: "aborted", completedAt: new Date() } });
  await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "signer_id" = ${id}::uuid`;
  await db.signer.update({ where: { id }, data: { deletedAt: new Date(), status: "failed" } });
  return s;
}

/** Rotates the signer's API key: every earlier key stops working in the same transaction. */
export async function regenerateSignerKey(db: DbOrTx, organizationId: string, id: string, createdById: string | null) {
  const s = await getSigner(db, organizationId, id);
  if (s.status === "creating" || s.status === "failed") throw new ConflictError(`Signer is ${s.status}`);
  const revoked = await db.credential.updateMany({ where: { subjectType: "signer", subjectId: id, revokedAt: null }, data: { revokedAt: new Date() } });
  const { credential, secret } = await issueCredential(db, {
    organizationId,
    kind: "signer_key",
    name: `${s.name} signer key`,
    scopes: SIGNER_KEY_SCOPES,
    subjectType: "signer",
    subjectId: id,
    createdById: createdById ?? undefined,
  });
  return { apiKey: { id: credential.id, prefix: credential.prefix, secret }, revoked: revoked.count };
}

/**
 * Stores the user share (sealed in the browser) and registers the user's long-term identity with
 * it. A registered identity is replaced only with its own signature over the new key, so a stolen
 * dashboard session cannot swap in a key of its own and sign as the user.
 */
export async function storeUserShare(tx: DbOrTx, signer: { id: string; userIdentityKey: string | null }, input: { ciphertext: string; encryption: Prisma.InputJsonValue; identityKey?: string; identityRotation?: string }) {
  const registered = signer.userIdentityKey;
  if (registered && !input.identityKey) throw new BadRequestError("This signer's user identity is registered: send the identityKey the share's secret derives", [{ field: "body.identityKey", message: "Required" }]);
  if (registered && input.identityKey !== registered && !verifyRotation(registered, input.identityRotation, { signerId: signer.id, newKey: input.identityKey! })) {
    throw new ForbiddenError("A new user identity must be handed over by the registered one (identityRotation)");
  }
  const row = await tx.userShare.upsert({
    where: { signerId: signer.id },
    create: { signerId: signer.id, ciphertext: input.ciphertext, encryption: input.encryption },
    update: { ciphertext: input.ciphertext, encryption: input.encryption },
  });
  if (input.identityKey && input.identityKey !== registered) await tx.signer.update({ where: { id: signer.id }, data: { userIdentityKey: input.identityKey } });
  return { row, identityChanged: Boolean(input.identityKey && registered && input.identityKey !== registered) };
}
