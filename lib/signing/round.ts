import type { Db } from "@/lib/db/client";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/http/errors";
import type { Message } from "@/lib/mpc";
import { loadCeremony, reportAbort, submit } from "./ceremonies";
import type { AuthenticatedBlame } from "./message-auth";
import { mpcProfile } from "./profile";
import { assertSignerAgentActive } from "@/lib/agents/kill-switch";
import { requireCertifiedClient, signatureResult } from "./sign-sessions";

/** One round of a signing session for the client party that owns it (agent or user). */
export async function signRound(db: Db, input: { organizationId: string; signerId?: string; clientParty: number; sessionId: string; seq: number; messages: Message[]; after: string; abort?: AuthenticatedBlame; identityCertificate?: string }) {
  const c = await loadCeremony(db, input.sessionId, input.organizationId);
  const ctx = c.context as { clientParty: number };
  if (c.kind !== "sign" || (input.signerId && c.signerId !== input.signerId) || ctx.clientParty !== input.clientParty) throw new NotFoundError("Signing session not found");
  if (c.status === "pending_approval") throw new ConflictError("This signing session is waiting for approval: poll its status until it is open, then run the rounds");
  const signer = await db.signer.findUniqueOrThrow({ where: { id: c.signerId } });
  if (signer.status === "paused") throw new ForbiddenError("Signer is paused");
  await assertSignerAgentActive(db, signer);
  if (signer.deletedAt) throw new NotFoundError("Signing session not found");
  await requireCertifiedClient(db, c, signer, input.identityCertificate);
  if (input.abort) return reportAbort(db, { ceremonyId: c.id, organizationId: input.organizationId, party: input.clientParty, blame: input.abort });
  return submit(
    db,
    { ceremonyId: c.id, organizationId: input.organizationId, party: input.clientParty, seq: input.seq, messages: input.messages, after: BigInt(input.after), profile: mpcProfile() },
    async (_tx, outcome) => (outcome.kind === "signature" ? signatureResult(outcome.value as never) : null),
  );
}
