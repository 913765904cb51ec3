import { dkgJoin } from "@/lib/api/signers";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { joinCeremony } from "@/lib/signing/agent-join";

/** No session: the one-time invitation token in the body authenticates (rate-limited per address). */
export const POST = handle(dkgJoin, async ({ body, ctx }) => {
  const joined = await joinCeremony(db(), body);
  await recordAudit(db(), {
    organizationId: joined.ceremony.organizationId,
    actor: { type: "anonymous", label: `agent joining with invitation ${joined.invitationPrefix}` },
    action: "signer.agent_joined",
    resourceType: "signer",
    resourceId: joined.ceremony.signerId,
    details: { ceremonyId: joined.ceremony.id, agentE2eKey: body.agentKey, invitation: joined.invitationPrefix, agentSession: joined.agentTokenPrefix },
    context: ctx,
  });
  return { status: 200, body: joined.body, headers: { "cache-control": "no-store" } };
});
