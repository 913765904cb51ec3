import { dkgRound } from "@/lib/api/signers";
import { db } from "@/lib/db/client";
import { BadRequestError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import type { Message } from "@/lib/mpc";
import { clientP2pRule, dashboardParties } from "@/lib/signing/agent-join";
import { loadCeremony, reportAbort, submit } from "@/lib/signing/ceremonies";
import type { AuthenticatedBlame } from "@/lib/signing/message-auth";
import { mpcProfile } from "@/lib/signing/profile";
import { agentPartyOf, storeServerShare } from "@/lib/signing/signers";

export const POST = handle(dkgRound, async ({ body, principal }) => {
  const organizationId = orgOf(principal);
  const c = await loadCeremony(db(), body.ceremonyId, organizationId);
  if (c.kind !== "dkg") throw new BadRequestError("Not a key-generation ceremony");
  // The dashboard runs the user's party; only in the one-browser flow the agent's party too.
  const mode = agentPartyOf(c.context);
  if (!dashboardParties(mode).includes(body.party)) {
    throw new BadRequestError(mode === "remote" ? "party must be the user (2): the agent runs its own party and joins with the invitation" : "party must be the user (2) or the agent (0)");
  }
  if (body.abort) return { status: 200, body: await reportAbort(db(), { ceremonyId: c.id, organizationId, party: body.party, blame: body.abort as AuthenticatedBlame }) };
  const view = await submit(
    db(),
    { ceremonyId: c.id, organizationId, party: body.party, seq: body.seq, messages: body.messages as Message[], after: BigInt(body.after), profile: mpcProfile(), clientP2p: clientP2pRule(mode) },
    async (tx, outcome, ceremony) => (outcome.kind === "keyShare" ? storeServerShare(tx, ceremony, outcome.value as never) : null),
  );
  return { status: 200, body: view };
});
