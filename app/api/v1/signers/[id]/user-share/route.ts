import type { Prisma } from "@/lib/generated/prisma/client";
import { getUserShare, putUserShare } from "@/lib/api/signer-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { storeUserShare } from "@/lib/signing/signer-admin";
import { getSigner } from "@/lib/signing/signers";
import { paillierModuliOf, serverRingPedersenOf } from "@/lib/signing/nonce-pool-public";
import { mpcProfile } from "@/lib/signing/profile";

/** The blob is opaque here: encrypted in the browser under a key the server never sees. */
export const POST = handle(putUserShare, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const row = await db().$transaction(async (tx) => {
    const { row, identityChanged } = await storeUserShare(tx, s, { ciphertext: body.ciphertext, encryption: body.encryption as Prisma.InputJsonValue, identityKey: body.identityKey, identityRotation: body.identityRotation });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.user_share_stored", resourceType: "signer", resourceId: s.id, details: { scheme: body.encryption.scheme, identityRegistered: Boolean(body.identityKey), identityChanged }, context: ctx });
    return row;
  });
  return { status: 200, body: { stored: true as const, updatedAt: row.updatedAt.toISOString() } };
});

export const GET = handle(getUserShare, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  const row = await db().userShare.findUnique({ where: { signerId: s.id } });
  if (!row) throw new NotFoundError("No user share stored for this signer");
  const publicData = (await db().signerShare.findUnique({ where: { signerId: s.id }, select: { public: true } }))?.public;
  const paillier = paillierModuliOf(publicData);
  const server = serverRingPedersenOf(publicData);
  const ringPedersen = server ? { server, profile: mpcProfile().name } : null;
  return { status: 200, body: { ciphertext: row.ciphertext, encryption: row.encryption as Record<string, unknown>, updatedAt: row.updatedAt.toISOString(), paillier, ringPedersen } };
});
