/**
 * Seed 004's Turnkey request statuses (pure):
 *
 *   pending_human ─accept→ approving ─→ executed
 *        │                    ├──────→ approval_failed   (APPROVE_ACTIVITY refused, or no consensus)
 *        │                    ├──────→ signing_failed    (the activity failed, or signed something else)
 *        │                    └──────→ broadcast_failed  (the chain refused the transaction, or it reverted)
 *        └─reject→ rejected_by_human  (REJECT_ACTIVITY sent to Turnkey)
 *
 * Every move is a conditional update on the current status, so two instances never both run a step.
 */
export const TURNKEY_STATUSES = ["pending_human", "rejected_by_human", "approving", "approval_failed", "signing_failed", "broadcast_failed", "executed"] as const;
export type TurnkeyStatus = (typeof TURNKEY_STATUSES)[number];

export function turnkeyStatusAfterResponse(response: "accepted" | "rejected"): TurnkeyStatus {
  return response === "accepted" ? "approving" : "rejected_by_human";
}

/** Setup sessions: "creating" is stored while one instance creates the sub-organization; clients see "pending". */
export type SetupStatus = "pending" | "completed" | "expired";

export function setupStatusAt(row: { status: string; expiresAt: Date }, now: Date): SetupStatus {
  if (row.status === "completed") return "completed";
  return row.expiresAt <= now ? "expired" : "pending";
}
