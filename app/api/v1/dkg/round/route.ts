import { dkgRound } from "@/lib/api/signers";
import { db } from "@/lib/db/client";
import { BadRequestError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import type { Message } from "@/lib/mpc";
import { loadCeremony, PARTY, submit } from "@/lib/signing/ceremonies";
import { mpcProfile } from "@/lib/signing/profile";
import { storeServerShare } from "@/lib/signing/signers";

export const POST = handle(dkgRound, async ({ body, principal }) => {
  const organizationId = orgOf(principal);
  // The dashboard runs the user's party and, in the browser flow, the agent's party too.
  if (body.party !== PARTY.user && body.party !== PARTY.agent) throw new BadRequestError("party must be the user (2) or the agent (0)");
  const c = await loadCeremony(db(), body.ceremonyId, organizationId);
  if (c.kind !== "dkg") throw new BadRequestError("Not a key-generation ceremony");
  const view = await submit(
    db(),
    { ceremonyId: c.id, organizationId, party: body.party, seq: body.seq, messages: body.messages as Message[], after: BigInt(body.after), profile: mpcProfile() },
    async (tx, outcome, ceremony) => (outcome.kind === "keyShare" ? storeServerShare(tx, ceremony.signerId, outcome.value as never) : null),
  );
  return { status: 200, body: view };
});
