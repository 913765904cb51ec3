import { randomBytes, randomUUID } from "node:crypto";
import { getAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SignerStatus } from "@/lib/generated/prisma/enums";
import type { Db, DbOrTx } from "@/lib/db/client";
import { issueCredential } from "@/lib/auth/credentials";
import { requireNetwork } from "@/lib/chain/network-registry";
import { sealSecret } from "@/lib/keystore";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { deriveSid, encodeKeyShare, type KeyShare, type SecurityProfile } from "@/lib/mpc";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";
import { createCeremony, loadCeremony, messagesFor, PARTY } from "./ceremonies";
import { primesForKey } from "./prime-pool";
import { startKeygenParty } from "./party";

export const SIGNER_KEY_SCOPES = ["sign"];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Parties are bound into the execution id by role; per-device identity keys arrive with CLI join. */
const participants = () =>
  (["agent", "server", "user"] as const).map((role, index) => ({ index, identityKey: new TextEncoder().encode(`countersign/party/${role}`) }));

export function addressOf(compressedPublicKey: string): `0x${string}` {
  const uncompressed = secp256k1.Point.fromHex(compressedPublicKey).toBytes(false);
  return getAddress(publicKeyToAddress(`0x${hex(uncompressed)}`));
}

export function publicSigner(s: { id: string; name: string; description: string | null; status: SignerStatus; chainId: number; address: string | null; publicKey: string | null; threshold: number; parties: number; createdAt: Date; updatedAt: Date }) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    chainId: s.chainId,
    address: s.address,
    publicKey: s.publicKey,
    threshold: s.threshold,
    parties: s.parties,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export async function getSigner(db: DbOrTx, organizationId: string, id: string) {
  const s = await db.signer.findFirst({ where: { id, organizationId, deletedAt: null } });
  if (!s) throw new NotFoundError("Signer not found");
  return s;
}

/**
 * Creates a signer and opens its key-generation ceremony with the server's party already started
 * (its primes taken from the pool first, outside any transaction). The client's nonce goes into
 * the execution ids, so neither side alone chooses them.
 */
export async function createSignerWithDkg(db: Db, input: { organizationId: string; createdById: string | null; name: string; description?: string; chainId: number; clientNonce: string; profile: SecurityProfile }) {
  await requireNetwork(db, input.chainId);
  const primes = await primesForKey(db, input.profile.primeBits, generateSafePrimeNative);
  const signerId = randomUUID();
  const ceremonyId = randomUUID();
  const serverNonce = randomBytes(32);
  const clientNonce = Buffer.from(input.clientNonce, "hex");
  const sid = hex(deriveSid({ protocol: "dkg", keyId: signerId, participants: participants(), serverNonce, clientNonce }));
  const auxSid = hex(deriveSid({ protocol: "aux", keyId: signerId, participants: participants(), serverNonce, clientNonce }));
  const server = startKeygenParty({ index: PARTY.server, n: 3, threshold: 2, sid, auxSid, primes, profile: input.profile });
  return db.$transaction(async (tx) => {
    const signer = await tx.signer.create({
      data: { id: signerId, organizationId: input.organizationId, name: input.name, description: input.description ?? null, chainId: input.chainId, createdById: input.createdById },
    });
    const context = { sid, auxSid, serverNonce: hex(serverNonce), clientNonce: input.clientNonce, profile: input.profile.name, threshold: 2, n: 3 };
    const ceremony = await createCeremony(tx, { id: ceremonyId, organizationId: input.organizationId, signerId, kind: "dkg", parties: [0, 1, 2], context, state: server.state, outgoing: server.outgoing });
    return { signer, ceremony, dkg: dkgView(ceremony.id, context, await messagesFor(tx, ceremony.id, PARTY.user, 0n)) };
  });
}

export function dkgView(ceremonyId: string, context: Record<string, unknown>, messages: Awaited<ReturnType<typeof messagesFor>>) {
  return {
    ceremonyId,
    sid: String(context.sid),
    auxSid: String(context.auxSid),
    profile: String(context.profile),
    threshold: 2,
    parties: { agent: PARTY.agent, server: PARTY.server, user: PARTY.user },
    messages,
  };
}

/** Called in the committing transaction when the server's party completes key generation. */
export async function storeServerShare(tx: DbOrTx, signerId: string, share: KeyShare) {
  const publicKey = share.core.publicKey;
  const address = addressOf(publicKey);
  const publicData = { publicKey, publicShares: share.core.publicShares, auxPublic: share.aux.parties, threshold: share.core.threshold, n: share.core.n };
  await tx.signerShare.create({
    data: { signerId, sealed: sealSecret(new TextEncoder().encode(encodeKeyShare(share)), `signer-share:${signerId}`) as unknown as Prisma.InputJsonValue, public: publicData as unknown as Prisma.InputJsonValue },
  });
  await tx.signer.update({ where: { id: signerId }, data: { publicKey, address } });
  return { publicKey, address };
}

/**
 * Completes key generation once the client confirms the same public key the server computed:
 * the signer becomes active and gets its API key (returned here once, stored only as a hash).
 */
export async function finalizeDkg(tx: DbOrTx, input: { organizationId: string; ceremonyId: string; publicKey: string; createdById: string | null }) {
  const c = await loadCeremony(tx, input.ceremonyId, input.organizationId);
  if (c.kind !== "dkg") throw new BadRequestError("Not a key-generation ceremony");
  if (c.status !== "completed") throw new ConflictError(`Key generation is ${c.status}, not completed`);
  const signer = await getSigner(tx, input.organizationId, c.signerId);
  if (signer.status !== "creating") throw new ConflictError("This signer was already finalized");
  const result = c.result as { publicKey: string; address: string } | null;
  if (!result || result.publicKey.toLowerCase() !== input.publicKey.toLowerCase()) {
    await tx.signer.update({ where: { id: signer.id }, data: { status: "failed" } });
    throw new ConflictError("The public key you computed differs from the server's; the signer is marked failed");
  }
  const updated = await tx.signer.update({ where: { id: signer.id }, data: { status: "active" } });
  const { credential, secret } = await issueCredential(tx, {
    organizationId: input.organizationId,
    kind: "signer_key",
    name: `${signer.name} signer key`,
    scopes: SIGNER_KEY_SCOPES,
    subjectType: "signer",
    subjectId: signer.id,
    createdById: input.createdById ?? undefined,
  });
  return { signer: updated, apiKey: { id: credential.id, prefix: credential.prefix, secret } };
}
