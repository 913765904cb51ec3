/**
 * The seed 004 request status machine (pure):
 *
 *   pending_human ─accept→ proposing ─→ proposed ─→ executing ─→ executed
 *        │                     │            │            └────→ execution_failed
 *        │                     └────────────┴─────────────────→ proposal_failed (no tx sent)
 *        └─reject→ rejected_by_human
 *
 * A transition is applied with a conditional update on the current status, so two instances racing
 * on one request cannot both move it.
 */
export const REQUEST_STATUSES = ["pending_human", "rejected_by_human", "proposing", "proposed", "executing", "executed", "proposal_failed", "execution_failed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
  pending_human: ["proposing", "rejected_by_human"],
  proposing: ["proposed", "proposal_failed"],
  proposed: ["executing", "proposal_failed"],
  executing: ["executed", "execution_failed"],
  executed: [],
  rejected_by_human: [],
  proposal_failed: [],
  execution_failed: [],
};

export function isRequestStatus(s: string): s is RequestStatus {
  return (REQUEST_STATUSES as readonly string[]).includes(s);
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(s: RequestStatus): boolean {
  return NEXT[s].length === 0;
}

export class InvalidTransitionError extends Error {
  override name = "InvalidTransitionError";
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`A request cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(from: string, to: RequestStatus): void {
  if (!isRequestStatus(from) || !canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

/** Where a human's answer sends a pending request. */
export function statusAfterResponse(response: "accepted" | "rejected"): RequestStatus {
  return response === "accepted" ? "proposing" : "rejected_by_human";
}

/** The failure status for an error raised while in `status`: before a transaction is sent it is a proposal failure. */
export function failureStatusFor(status: RequestStatus): RequestStatus {
  return status === "executing" ? "execution_failed" : "proposal_failed";
}
