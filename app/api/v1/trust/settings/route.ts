import { getTrustSettings, updateTrustSettings as contract } from "@/lib/api/trust-admin";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { evidenceSetting, setEvidenceSetting } from "@/lib/trust/evidence";

export const GET = handle(getTrustSettings, async ({ principal }) => ({ status: 200, body: { settings: await evidenceSetting(db(), orgOf(principal)) } }));

export const PATCH = handle(contract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const settings = await db().$transaction(async (tx) => {
    const s = await setEvidenceSetting(tx, organizationId, body.countersignEvidence);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "trust.settings.updated", resourceType: "organization", resourceId: organizationId, details: s, context: ctx });
    return s;
  });
  return { status: 200, body: { settings } };
});
