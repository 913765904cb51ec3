import type { DbOrTx } from "@/lib/db/client";

/**
 * Per-organization approval settings. `passkeyThresholdWei`: accepting a request whose native value
 * (sum of its actions' `value`, in wei) is ABOVE this needs a passkey assertion bound to the
 * request; at or below it, the notification's Accept action may accept directly. Default "0": every
 * request that moves native currency needs the passkey.
 */
export const DEFAULT_PASSKEY_THRESHOLD_WEI = "0";

export async function getApprovalSettings(db: DbOrTx, organizationId: string) {
  const row = await db.approvalSettings.findUnique({ where: { organizationId } });
  return { passkeyThresholdWei: row?.passkeyThresholdWei ?? DEFAULT_PASSKEY_THRESHOLD_WEI, updatedAt: row?.updatedAt ?? null };
}

export async function updateApprovalSettings(db: DbOrTx, organizationId: string, input: { passkeyThresholdWei: string; updatedById: string | null }) {
  const row = await db.approvalSettings.upsert({
    where: { organizationId },
    create: { organizationId, passkeyThresholdWei: input.passkeyThresholdWei, updatedById: input.updatedById },
    update: { passkeyThresholdWei: input.passkeyThresholdWei, updatedById: input.updatedById },
  });
  return { passkeyThresholdWei: row.passkeyThresholdWei, updatedAt: row.updatedAt };
}

/**
 * Pure: does accepting need a passkey? Only plain native transfers at or below the threshold do not.
 * Contract calls (token transfers and approvals move value the threshold cannot measure) and
 * message or typed-data signatures (a permit is a spend) always need one.
 */
export function passkeyRequired(valueWei: string, thresholdWei: string, opts: { callsContract?: boolean } = {}): boolean {
  if (opts.callsContract) return true;
  return BigInt(valueWei) > BigInt(thresholdWei);
}
