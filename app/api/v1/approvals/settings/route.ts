import { getApprovalSettings as getContract, updateApprovalSettings as updateContract } from "@/lib/api/approvals";
import { getApprovalSettings, updateApprovalSettings } from "@/lib/approvals/settings";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";

const view = (s: { passkeyThresholdWei: string; updatedAt: Date | null }) => ({ passkeyThresholdWei: s.passkeyThresholdWei, updatedAt: s.updatedAt?.toISOString() ?? null });

export const GET = handle(getContract, async ({ principal }) => {
  return { status: 200, body: view(await getApprovalSettings(db(), orgOf(principal))) };
});

export const PATCH = handle(updateContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await db().$transaction(async (tx) => {
    const updated = await updateApprovalSettings(tx, organizationId, { passkeyThresholdWei: body.passkeyThresholdWei, updatedById: userOf(principal).userId });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "approvals.settings_updated", resourceType: "organization", resourceId: organizationId, details: { passkeyThresholdWei: body.passkeyThresholdWei }, context: ctx });
    return updated;
  });
  return { status: 200, body: view(s) };
});
