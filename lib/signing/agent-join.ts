/**
 * The agent's party on the agent's machine (issue #10): the agent joins a signer's key generation
 * with the one-time invitation (`csi_…`) the browser showed, gets a token (`csj_…`) for the rest of
 * that ceremony only, runs party 0 through /dkg/agent/round and confirms the public key with
 * /dkg/agent/confirm, which hands it the signer's API key once. Point-to-point messages between the
 * agent (0) and the browser (2) pass through here only as end-to-end ciphertext (lib/signing/e2e.ts).
 */
import type { Ceremony, CeremonyInvitation } from "@/lib/generated/prisma/client";
import type { Db, DbOrTx } from "@/lib/db/client";
import { generateCeremonyToken, hashSecret, looksLikeCeremonyToken } from "@/lib/auth/credentials";
import { BadRequestError, ConflictError, GoneError, NotFoundError, UnauthorizedError } from "@/lib/http/errors";
import type { Message } from "@/lib/mpc";
import { messagesFor, PARTY } from "./ceremonies";
import { e2eKeyOfIdentity, isE2ePayload } from "./e2e";
import { identitiesOf } from "./identities";
import { agentPartyOf, checkDkgPublicKey, getSigner, issueSignerKey, type AgentParty } from "./signers";

export type AgentStatus = { joined: boolean; agentKey: string | null; agentKeyMac: string | null; identityKey: string | null; confirmed: boolean };

/** What POST /dkg/init tells the browser about the agent (null in browser mode). */
export async function agentStatus(db: DbOrTx, ceremonyId: string): Promise<AgentStatus | null> {
  const inv = await db.ceremonyInvitation.findUnique({ where: { ceremonyId }, include: { ceremony: { select: { context: true } } } });
  if (!inv) return null;
  const identityKey = identitiesOf(inv.ceremony.context)[PARTY.agent] ?? null;
  return { joined: inv.claimedAt !== null, agentKey: inv.agentKey, agentKeyMac: inv.agentKeyMac, identityKey, confirmed: inv.agentConfirmedAt !== null };
}

/**
 * Which client parties may submit to /dkg/round (the dashboard's session): only the user's party
 * when the agent runs remotely; the user's and the agent's in the one-browser flow.
 */
export function dashboardParties(mode: AgentParty): number[] {
  return mode === "remote" ? [PARTY.user] : [PARTY.user, PARTY.agent];
}

/**
 * The relay rule for point-to-point messages between client parties: refused in browser mode (they
 * never leave the browser); in remote mode relayed between 0 and 2 only as end-to-end envelopes.
 * Returns undefined (refuse everything, the ceremonies default) or a checker that throws 400.
 */
export function clientP2pRule(mode: AgentParty): ((m: Message) => void) | undefined {
  if (mode !== "remote") return undefined;
  return (m) => {
    const pair = [m.from, m.to].sort().join();
    if (pair !== `${PARTY.agent},${PARTY.user}`) {
      throw new BadRequestError("Point-to-point messages between client parties are relayed only between the agent (0) and the user (2)", [{ field: "body.messages", message: "to must be \"all\", the server, or the other client party" }]);
    }
    if (!isE2ePayload(m.payload)) {
      throw new BadRequestError("Point-to-point messages between the agent and the user must be end-to-end encrypted", [{ field: "body.messages", message: "payload must be { e2e: { v: 1, iv, ct } }" }]);
    }
  };
}

export type JoinInput = { token: string; agentKey: string; agentKeyMac: string; identityKey?: string };

/**
 * Claims the invitation (compare-and-set on claimed_at: exactly one join ever succeeds), records the
 * agent's X25519 key and its pin MAC, and issues the agent's ceremony token.
 */
export async function joinCeremony(db: Db, input: JoinInput, now = new Date()) {
  if (!looksLikeCeremonyToken("invitation", input.token)) throw new NotFoundError("Unknown invitation");
  const inv = await db.ceremonyInvitation.findUnique({ where: { tokenHash: hashSecret(input.token) }, include: { ceremony: true } });
  if (!inv) throw new NotFoundError("Unknown invitation");
  if (inv.claimedAt) throw new ConflictError("This invitation was already used: an agent has joined this key generation");
  const c = inv.ceremony;
  if (inv.expiresAt <= now || c.status === "expired" || (c.status === "open" && c.expiresAt <= now)) throw new GoneError("This invitation has expired; create a new signer");
  if (c.status !== "open") throw new ConflictError(`This key generation is ${c.status}`);
  // Authenticated blame: where the user announced an identity, the agent must too, and its X25519
  // key (covered by the pin MAC) must be that identity's image — so the browser pins both at once.
  const identities = identitiesOf(c.context);
  if (identities[PARTY.user] && !input.identityKey) throw new BadRequestError("This key generation authenticates every party's messages: send your identityKey", [{ field: "body.identityKey", message: "Required" }]);
  if (input.identityKey && e2eKeyOfIdentity(input.identityKey) !== input.agentKey) throw new BadRequestError("agentKey must be the X25519 image of identityKey", [{ field: "body.identityKey", message: "Does not match agentKey" }]);
  if (input.identityKey && identities[PARTY.user]) identities[PARTY.agent] = input.identityKey;
  const agentToken = generateCeremonyToken("agent");
  return db.$transaction(async (tx) => {
    const won = await tx.ceremonyInvitation.updateMany({
      where: { ceremonyId: c.id, claimedAt: null },
      data: { claimedAt: now, agentTokenHash: agentToken.hash, agentKey: input.agentKey, agentKeyMac: input.agentKeyMac },
    });
    if (won.count !== 1) throw new ConflictError("This invitation was already used: an agent has joined this key generation");
    if (identities[PARTY.agent]) {
      await tx.$executeRaw`UPDATE "ceremonies" SET "context" = jsonb_set("context", '{identities}', ${JSON.stringify(identities)}::jsonb) WHERE "id" = ${c.id}::uuid`;
    }
    const signer = await getSigner(tx, c.organizationId, c.signerId);
    const ctx = c.context as Record<string, unknown>;
    return {
      ceremony: c,
      invitationPrefix: input.token.slice(0, 16),
      agentTokenPrefix: agentToken.prefix,
      body: {
        ceremonyId: c.id,
        signerId: signer.id,
        signerName: signer.name,
        chainId: signer.chainId,
        profile: String(ctx.profile),
        sid: String(ctx.sid),
        auxSid: String(ctx.auxSid),
        serverNonce: String(ctx.serverNonce),
        clientNonce: String(ctx.clientNonce),
        userKey: inv.userKey,
        identities,
        messages: await messagesFor(tx, c.id, PARTY.agent, 0n),
        agentToken: agentToken.token,
      },
    };
  });
}

export type AgentPrincipal = { ceremony: Ceremony; invitation: CeremonyInvitation; tokenPrefix: string };

/** `Authorization: Bearer csj_…` → the one ceremony this agent token belongs to. */
export async function authenticateAgent(db: DbOrTx, req: Request): Promise<AgentPrincipal> {
  const header = req.headers.get("authorization") ?? "";
  const token = header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : "";
  if (!looksLikeCeremonyToken("agent", token)) throw new UnauthorizedError("An agent ceremony token (Authorization: Bearer csj_…) is required");
  const inv = await db.ceremonyInvitation.findUnique({ where: { agentTokenHash: hashSecret(token) }, include: { ceremony: true } });
  if (!inv) throw new UnauthorizedError("Invalid agent ceremony token");
  const { ceremony, ...invitation } = inv;
  return { ceremony, invitation, tokenPrefix: token.slice(0, 16) };
}

export type AgentConfirmResult =
  | { kind: "mismatch" }
  | { kind: "confirmed"; signer: Awaited<ReturnType<typeof getSigner>>; apiKey: { id: string; prefix: string; secret: string }; activated: boolean; reissued: boolean };

/** How long after its confirmation the agent may confirm again (its answer was lost) and get a fresh key. */
export const CONFIRM_RETRY_WINDOW_MS = 10 * 60_000;

/**
 * The agent confirms the public key it computed. 409 while the server's party is still running
 * (retry); a mismatch marks the signer failed (returned so the caller commits it, then answers 409);
 * a match records the confirmation, issues the signer's API key for the agent and activates the
 * signer if the user has already confirmed. The key is shown once; if the answer was lost (the
 * connection dropped), the same agent may confirm again for a short while: the key it never saw is
 * revoked and a fresh one issued, so at most one agent key is ever valid.
 */
export async function confirmAgent(tx: DbOrTx, agent: AgentPrincipal, publicKey: string, now = new Date()): Promise<AgentConfirmResult> {
  const c = await tx.ceremony.findUniqueOrThrow({ where: { id: agent.ceremony.id } });
  if (c.status === "open") throw new ConflictError("The server's party has not finished key generation yet; retry");
  if (c.status !== "completed") throw new ConflictError(`Key generation is ${c.status}, not completed`);
  const signer = await getSigner(tx, c.organizationId, c.signerId);
  const inv = await tx.ceremonyInvitation.findUniqueOrThrow({ where: { ceremonyId: c.id } });
  if (inv.agentConfirmedAt) {
    if (signer.status !== "creating" && signer.status !== "active") throw new ConflictError(`This signer is ${signer.status}`);
    if (now.getTime() - inv.agentConfirmedAt.getTime() > CONFIRM_RETRY_WINDOW_MS) throw new ConflictError("The agent already confirmed this key generation; its API key was handed out then (rotate it from the dashboard)");
    const result = c.result as { publicKey?: string } | null;
    if (result?.publicKey?.toLowerCase() !== publicKey.toLowerCase()) throw new ConflictError("This public key differs from the one the agent confirmed");
    await tx.credential.updateMany({ where: { subjectType: "signer", subjectId: signer.id, revokedAt: null, createdAt: { gte: inv.agentConfirmedAt } }, data: { revokedAt: now } });
    return { kind: "confirmed", signer, apiKey: await issueSignerKey(tx, signer, signer.createdById), activated: false, reissued: true };
  }
  if (signer.status !== "creating") throw new ConflictError(signer.status === "failed" ? "This signer's key generation failed" : "This signer was already finalized");
  const confirmed = await tx.$queryRaw<{ user_confirmed_at: Date | null }[]>`
    UPDATE "ceremony_invitations" SET "agent_confirmed_at" = ${now} WHERE "ceremony_id" = ${c.id}::uuid AND "agent_confirmed_at" IS NULL RETURNING "user_confirmed_at"`;
  if (confirmed.length !== 1) throw new ConflictError("The agent is confirming this key generation in another request; retry");
  if (!(await checkDkgPublicKey(tx, c, signer, publicKey))) return { kind: "mismatch" };
  const apiKey = await issueSignerKey(tx, signer, signer.createdById);
  const activated = confirmed[0]!.user_confirmed_at !== null && (await tx.signer.updateMany({ where: { id: signer.id, status: "creating" }, data: { status: "active" } })).count === 1;
  return { kind: "confirmed", signer: await getSigner(tx, c.organizationId, signer.id), apiKey, activated, reissued: false };
}
