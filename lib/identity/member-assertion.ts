/**
 * The mock passport's member assertion (issue #16: the mock page "requires a passkey assertion of a
 * signed-in member"). Before the page gets a proof, the member confirms the session with a passkey:
 * the challenge and its verification are the approvals' (lib/approvals/binding.ts, subject
 * `{ identitySessionId }`, single use, 5 minutes); the verified assertion is recorded on the
 * session (`asserted_by`, `asserted_organization_id`, `asserted_at`). The session's callback then
 * refuses a mock proof unless that record is fresh, names the proof's member, and the member still
 * belongs to the organization that owns the session's agent.
 *
 * The owning organization: the agent record a dashboard session names, else the Countersign agent
 * record linked to the session's on-chain agent (refresh, deregister) or carrying its address. A
 * session for an agent no organization here owns (a seed client's own agent) takes any signed-in
 * member, in the organization they are acting in.
 */
import type { DbOrTx } from "@/lib/db/client";
import { APPROVAL_CHALLENGE_TTL_MS, createApprovalChallenge, verifyApprovalAssertion } from "@/lib/approvals/binding";
import { ForbiddenError } from "@/lib/http/errors";
import { sessionSubjectHash } from "./mock-passport";

export const MEMBER_ASSERTION_TTL_MS = APPROVAL_CHALLENGE_TTL_MS;

type SessionRef = { id: string; chainId: number; agentRecordId: string | null; agentId: number | null; agentAddress: string | null };
type Asserted = SessionRef & { assertedBy: string | null; assertedOrganizationId: string | null; assertedAt: Date | null };

/** The organization owning the session's agent, or null when no Countersign agent record is it. */
export async function sessionOwnerOrganization(db: DbOrTx, s: SessionRef): Promise<string | null> {
  const select = { organizationId: true } as const;
  if (s.agentRecordId) {
    const record = await db.agent.findUnique({ where: { id: s.agentRecordId }, select });
    if (record) return record.organizationId;
  }
  if (s.agentId !== null) {
    const linked = await db.agent.findFirst({ where: { onchainChainId: s.chainId, onchainAgentId: String(s.agentId) }, select, orderBy: { createdAt: "asc" } });
    if (linked) return linked.organizationId;
  }
  if (s.agentAddress) {
    const byAddress = await db.agent.findFirst({ where: { agentAddress: { equals: s.agentAddress, mode: "insensitive" } }, select, orderBy: { createdAt: "asc" } });
    if (byAddress) return byAddress.organizationId;
  }
  return null;
}

/** The organization a member asserts in for this session: the owner's (they must belong to it), else their own. */
async function assertingOrganization(db: DbOrTx, s: SessionRef, userId: string, activeOrganizationId: string | null): Promise<string> {
  const owner = await sessionOwnerOrganization(db, s);
  const organizationId = owner ?? activeOrganizationId;
  if (!organizationId) throw new ForbiddenError("No active organization");
  const member = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } }, select: { id: true } });
  if (!member) throw new ForbiddenError("Only a member of the organization that owns this agent can confirm its proof of human");
  return organizationId;
}

/** WebAuthn request options for the member to confirm `session` with a passkey (the approvals' challenge). */
export async function memberAssertionChallenge(db: DbOrTx, s: SessionRef, userId: string, activeOrganizationId: string | null) {
  const organizationId = await assertingOrganization(db, s, userId, activeOrganizationId);
  const { challengeId, options } = await createApprovalChallenge(db, { organizationId, userId, subject: { identitySessionId: s.id } });
  return { challengeId, options };
}

/**
 * Verifies the member's assertion (the approvals' verifier: their passkey, this session's challenge,
 * unused, unexpired) and records it on the session while it still waits for a proof.
 */
export async function recordMemberAssertion(db: DbOrTx, s: SessionRef & { kind: string }, userId: string, activeOrganizationId: string | null, header: string | null, now = new Date()): Promise<void> {
  if (!header) throw new ForbiddenError("Confirm with your passkey first: the mock passport needs a passkey assertion of a signed-in member (X-Countersign-Assertion)");
  const organizationId = await assertingOrganization(db, s, userId, activeOrganizationId);
  await verifyApprovalAssertion(db, { organizationId, userId, requestId: s.id, subjectHash: sessionSubjectHash(s), header }, now);
  await db.identitySession.updateMany({ where: { id: s.id, stage: "qr-ready" }, data: { assertedBy: userId, assertedOrganizationId: organizationId, assertedAt: now } });
}

/** The callback's check: a fresh verified assertion of a member of the owning organization, by the proof's member. */
export async function requireFreshMemberAssertion(db: DbOrTx, s: Asserted, proofMember: string | undefined, now: number): Promise<void> {
  if (!s.assertedBy || !s.assertedOrganizationId || !s.assertedAt) {
    throw new ForbiddenError("Mock passport proof refused: no passkey assertion of a signed-in member for this session");
  }
  if (now - s.assertedAt.getTime() > MEMBER_ASSERTION_TTL_MS) throw new ForbiddenError("Mock passport proof refused: the member's passkey assertion is older than 5 minutes");
  if (proofMember !== s.assertedBy) throw new ForbiddenError("Mock passport proof refused: made for another member's assertion");
  const owner = await sessionOwnerOrganization(db, s);
  if (owner && owner !== s.assertedOrganizationId) throw new ForbiddenError("Mock passport proof refused: the assertion is not of a member of the organization that owns this agent");
  const member = await db.membership.findUnique({ where: { organizationId_userId: { organizationId: s.assertedOrganizationId, userId: s.assertedBy } }, select: { id: true } });
  if (!member) throw new ForbiddenError("Mock passport proof refused: the asserting member no longer belongs to the organization");
}
