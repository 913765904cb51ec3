import { createTurnkeySetupSession as contract } from "@/lib/api/turnkey";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { createSetupSession } from "@/lib/turnkey/setup";

export const POST = handle(contract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const session = await createSetupSession(db(), organizationId, body);
  await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "approval.turnkey_setup_started", resourceType: "turnkey_setup_session", resourceId: session.setupSessionId, details: { agentPublicKey: session.agentPublicKey, agentLabel: session.agentLabel }, context: ctx });
  return { status: 200, body: session };
});
