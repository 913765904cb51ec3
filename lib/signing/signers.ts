import { randomBytes, randomUUID } from "node:crypto";
import { assertCanAdd } from "@/lib/billing/limits";
import { getAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SignerStatus } from "@/lib/generated/prisma/enums";
import type { Db, DbOrTx } from "@/lib/db/client";
import { generateCeremonyToken, issueCredential } from "@/lib/auth/credentials";
import { requireNetwork } from "@/lib/chain/network-registry";
import { agentForNew } from "@/lib/agents/registry";
import { sealSecret } from "@/lib/keystore";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { encodeKeyShare, type KeyShare, type SecurityProfile } from "@/lib/mpc";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";
import { createCeremony, loadCeremony, messagesFor, PARTY } from "./ceremonies";
import { primesForKey } from "./prime-pool";
import { e2eKeyOfIdentity } from "./e2e";
import { startKeygenParty } from "./party";
import { identitiesOf, isAuthenticated } from "./identities";
import { serverIdentity } from "./server-identity";
import { dkgSids } from "./participants";

export const SIGNER_KEY_SCOPES = ["sign"];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export function addressOf(compressedPublicKey: string): `0x${string}` {
  const uncompressed = secp256k1.Point.fromHex(compressedPublicKey).toBytes(false);
  return getAddress(publicKeyToAddress(`0x${hex(uncompressed)}`));
}

export function publicSigner(s: { id: string; name: string; description: string | null; status: SignerStatus; chainId: number; address: string | null; publicKey: string | null; agentIdentityKey: string | null; userIdentityKey: string | null; threshold: number; parties: number; createdAt: Date; updatedAt: Date; agentId?: string | null }) {
  return {
    id: s.id,
    /** The Agent registry record this signer belongs to (lib/agents). */
    agentId: s.agentId ?? null,
    name: s.name,
    description: s.description,
    status: s.status,
    chainId: s.chainId,
    address: s.address,
    publicKey: s.publicKey,
    identities: { agent: s.agentIdentityKey, user: s.userIdentityKey },
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
 * Who runs the agent's party (0) at key generation: "remote" (default) — the agent itself, joining
 * with a one-time invitation (`countersign join`), its point-to-point messages with the browser
 * end-to-end encrypted; "browser" — the old one-browser flow, where the dashboard briefly holds the
 * agent's share too (an explicit, audited choice).
 */
export type AgentParty = "remote" | "browser";

/** Ceremonies created before the remote flow have no `agentParty` in their context: they ran in the browser. */
export function agentPartyOf(context: unknown): AgentParty {
  return (context as { agentParty?: unknown } | null)?.agentParty === "remote" ? "remote" : "browser";
}

/**
 * Creates a signer and opens its key-generation ceremony with the server's party already started
 * (its primes taken from the pool first, outside any transaction). The client's nonce goes into
 * the execution ids, so neither side alone chooses them. In remote mode the ceremony gets a one-time
 * invitation token (returned once, stored as SHA-256) for the agent to join with.
 */
export async function createSignerWithDkg(
  db: Db,
  input: { organizationId: string; createdById: string | null; name: string; description?: string; chainId: number; clientNonce: string; profile: SecurityProfile; agentParty?: AgentParty; userKey?: string; userIdentityKey?: string; agentIdentityKey?: string; agentId?: string },
) {
  const agentParty: AgentParty = input.agentParty ?? "remote";
  const identities = await ceremonyIdentities(input, agentParty);
  await requireNetwork(db, input.chainId);
  // The plan's signer limit (and a payment overdue past its grace period) stops a new signer before any work (lib/billing).
  await assertCanAdd(db, input.organizationId, "signers");
  // A named agent is checked before primes leave the pool (and again in the transaction); without one, the
  // plan's agent limit is, since a new agent comes with the signer (agentForNew checks it again).
  if (input.agentId) await agentForNew(db, { organizationId: input.organizationId, agentId: input.agentId, field: "body.agentId", create: { name: input.name }, createdById: input.createdById });
  else await assertCanAdd(db, input.organizationId, "agents");
  const primes = await primesForKey(db, input.profile.primeBits, generateSafePrimeNative);
  const signerId = randomUUID();
  const ceremonyId = randomUUID();
  const serverNonce = randomBytes(32);
  const { sid, auxSid } = dkgSids({ keyId: signerId, serverNonce: hex(serverNonce), clientNonce: input.clientNonce });
  const auth = isAuthenticated(identities.keys) ? { identities: identities.keys, identity: identities.server } : {};
  const server = startKeygenParty({ index: PARTY.server, n: 3, threshold: 2, sid, auxSid, primes, profile: input.profile, ...auth });
  return db.$transaction(async (tx) => {
    // Every signer belongs to an agent: the one named, or a new one named after the signer.
    const { agent, created: agentCreated } = await agentForNew(tx, { organizationId: input.organizationId, agentId: input.agentId, field: "body.agentId", create: { name: input.name, description: input.description ?? null, ownerId: input.createdById }, createdById: input.createdById });
    const signer = await tx.signer.create({
      data: { id: signerId, organizationId: input.organizationId, name: input.name, description: input.description ?? null, chainId: input.chainId, createdById: input.createdById, agentId: agent.id },
    });
    const context = { sid, auxSid, serverNonce: hex(serverNonce), clientNonce: input.clientNonce, profile: input.profile.name, threshold: 2, n: 3, agentParty, identities: identities.keys };
    const ceremony = await createCeremony(tx, { id: ceremonyId, organizationId: input.organizationId, signerId, kind: "dkg", parties: [0, 1, 2], context, state: server.state, outgoing: server.outgoing });
    let invitation: { token: string; expiresAt: string } | undefined;
    if (agentParty === "remote") {
      const t = generateCeremonyToken("invitation");
      await tx.ceremonyInvitation.create({ data: { ceremonyId, tokenHash: t.hash, expiresAt: ceremony.expiresAt, userKey: input.userKey ?? null } });
      invitation = { token: t.token, expiresAt: ceremony.expiresAt.toISOString() };
    }
    return { signer, agent: { id: agent.id, name: agent.name, created: agentCreated }, ceremony, dkg: { ...dkgView(ceremony.id, context, await messagesFor(tx, ceremony.id, PARTY.user, 0n)), ...(invitation ? { invitation } : {}) } };
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
    agentParty: agentPartyOf(context),
    serverNonce: String(context.serverNonce),
    clientNonce: String(context.clientNonce),
    identities: identitiesOf(context),
    messages,
  };
}

/**
 * Authenticated blame (message-auth.ts): the server always takes part with its long-term identity;
 * the clients' keys come from the creating request (the user's; in browser mode the agent's too) or,
 * for a remote agent, when it joins. A user key must be the identity behind the X25519 key the agent
 * will pin, so that pinning one pins the other.
 */
async function ceremonyIdentities(input: { userKey?: string; userIdentityKey?: string; agentIdentityKey?: string }, agentParty: AgentParty) {
  const server = await serverIdentity();
  const keys: Record<number, string> = { [PARTY.server]: server.publicKey };
  if (input.agentIdentityKey && agentParty !== "browser") throw new BadRequestError("agentIdentityKey is for the one-browser flow only: a remote agent announces its own when it joins", [{ field: "body.agentIdentityKey", message: "Only with agentParty \"browser\"" }]);
  if (input.userIdentityKey) {
    if (input.userKey && e2eKeyOfIdentity(input.userIdentityKey) !== input.userKey) throw new BadRequestError("userKey must be the X25519 image of userIdentityKey", [{ field: "body.userIdentityKey", message: "Does not match userKey" }]);
    if (agentParty === "browser" && !input.agentIdentityKey) throw new BadRequestError("The one-browser flow authenticates both client parties: send agentIdentityKey too", [{ field: "body.agentIdentityKey", message: "Required with userIdentityKey in browser mode" }]);
    keys[PARTY.user] = input.userIdentityKey;
    if (input.agentIdentityKey) keys[PARTY.agent] = input.agentIdentityKey;
  } else if (input.agentIdentityKey) throw new BadRequestError("Send userIdentityKey with agentIdentityKey", [{ field: "body.userIdentityKey", message: "Required with agentIdentityKey" }]);
  return { server, keys };
}

/**
 * Called in the committing transaction when the server's party completes key generation. The
 * agent's identity of the ceremony becomes the signer's long-term agent identity
 * (long-term-identity.ts): later sessions must be signed by it.
 */
export async function storeServerShare(tx: DbOrTx, ceremony: { signerId: string; context: unknown }, share: KeyShare) {
  const { signerId } = ceremony;
  const agentIdentityKey = identitiesOf(ceremony.context)[PARTY.agent] ?? null;
  const publicKey = share.core.publicKey;
  const address = addressOf(publicKey);
  const publicData = { publicKey, publicShares: share.core.publicShares, auxPublic: share.aux.parties, threshold: share.core.threshold, n: share.core.n };
  await tx.signerShare.create({
    data: { signerId, sealed: sealSecret(new TextEncoder().encode(encodeKeyShare(share)), `signer-share:${signerId}`) as unknown as Prisma.InputJsonValue, public: publicData as unknown as Prisma.InputJsonValue },
  });
  await tx.signer.update({ where: { id: signerId }, data: { publicKey, address, agentIdentityKey } });
  return { publicKey, address };
}

/** The signer's API key (`css_`), issued once: returned here, stored only as a hash. */
export async function issueSignerKey(tx: DbOrTx, signer: { id: string; organizationId: string; name: string }, createdById: string | null) {
  const { credential, secret } = await issueCredential(tx, {
    organizationId: signer.organizationId,
    kind: "signer_key",
    name: `${signer.name} signer key`,
    scopes: SIGNER_KEY_SCOPES,
    subjectType: "signer",
    subjectId: signer.id,
    createdById: createdById ?? undefined,
  });
  return { id: credential.id, prefix: credential.prefix, secret };
}

/** A client's public key against the one the server computed; a mismatch marks the signer failed. */
export async function checkDkgPublicKey(tx: DbOrTx, c: { status: string; result: unknown }, signer: { id: string }, publicKey: string): Promise<boolean> {
  const result = c.result as { publicKey: string; address: string } | null;
  if (result && result.publicKey.toLowerCase() === publicKey.toLowerCase()) return true;
  await tx.signer.update({ where: { id: signer.id }, data: { status: "failed" } });
  return false;
}

export const PUBLIC_KEY_MISMATCH = "The public key you computed differs from the server's; the signer is marked failed";

export type FinalizeResult =
  | { kind: "mismatch" }
  /** Browser mode: the signer is active and its API key is returned once. */
  | { kind: "activated"; signer: Awaited<ReturnType<typeof getSigner>>; apiKey: { id: string; prefix: string; secret: string } }
  /** Remote mode: the user's confirmation is recorded; the signer is active once the agent confirmed too. */
  | { kind: "confirmed"; signer: Awaited<ReturnType<typeof getSigner>>; agentConfirmed: boolean; activated: boolean };

/**
 * Completes key generation on the browser's side once it confirms the public key the server
 * computed. Browser mode: the signer becomes active and gets its API key (returned once). Remote
 * mode: records the user's confirmation; the API key went to the agent, and whichever of the two
 * confirms second activates the signer. A mismatch is returned (not thrown) so the caller commits
 * the failed status before answering 409.
 */
export async function finalizeDkg(tx: DbOrTx, input: { organizationId: string; ceremonyId: string; publicKey: string; createdById: string | null }): Promise<FinalizeResult> {
  const c = await loadCeremony(tx, input.ceremonyId, input.organizationId);
  if (c.kind !== "dkg") throw new BadRequestError("Not a key-generation ceremony");
  if (c.status !== "completed") throw new ConflictError(`Key generation is ${c.status}, not completed`);
  const signer = await getSigner(tx, input.organizationId, c.signerId);
  if (signer.status !== "creating") throw new ConflictError("This signer was already finalized");
  if (agentPartyOf(c.context) === "remote") {
    const confirmed = await tx.$queryRaw<{ agent_confirmed_at: Date | null }[]>`
      UPDATE "ceremony_invitations" SET "user_confirmed_at" = now() WHERE "ceremony_id" = ${c.id}::uuid AND "user_confirmed_at" IS NULL RETURNING "agent_confirmed_at"`;
    if (confirmed.length !== 1) throw new ConflictError("You already confirmed this key generation");
    if (!(await checkDkgPublicKey(tx, c, signer, input.publicKey))) return { kind: "mismatch" };
    const agentConfirmed = confirmed[0]!.agent_confirmed_at !== null;
    const activated = agentConfirmed && (await tx.signer.updateMany({ where: { id: signer.id, status: "creating" }, data: { status: "active" } })).count === 1;
    return { kind: "confirmed", signer: await getSigner(tx, input.organizationId, signer.id), agentConfirmed, activated };
  }
  if (!(await checkDkgPublicKey(tx, c, signer, input.publicKey))) return { kind: "mismatch" };
  const updated = await tx.signer.update({ where: { id: signer.id }, data: { status: "active" } });
  return { kind: "activated", signer: updated, apiKey: await issueSignerKey(tx, signer, input.createdById) };
}
