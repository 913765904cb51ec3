import { dkgAgentRound } from "@/lib/api/signers";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import type { Message } from "@/lib/mpc";
import { authenticateAgent, clientP2pRule } from "@/lib/signing/agent-join";
import { PARTY, reportAbort, submit } from "@/lib/signing/ceremonies";
import type { AuthenticatedBlame } from "@/lib/signing/message-auth";
import { mpcProfile } from "@/lib/signing/profile";
import { storeServerShare } from "@/lib/signing/signers";

/** The joined agent's rounds: party fixed to 0, the ceremony fixed by its csj_ token. */
export const POST = handle(dkgAgentRound, async ({ req, body }) => {
  const { ceremony: c } = await authenticateAgent(db(), req);
  if (body.abort) return { status: 200, body: await reportAbort(db(), { ceremonyId: c.id, organizationId: c.organizationId, party: PARTY.agent, blame: body.abort as AuthenticatedBlame }) };
  const view = await submit(
    db(),
    { ceremonyId: c.id, organizationId: c.organizationId, party: PARTY.agent, seq: body.seq, messages: body.messages as Message[], after: BigInt(body.after), profile: mpcProfile(), clientP2p: clientP2pRule("remote") },
    async (tx, outcome, ceremony) => (outcome.kind === "keyShare" ? storeServerShare(tx, ceremony, outcome.value as never) : null),
  );
  return { status: 200, body: view };
});
