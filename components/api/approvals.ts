"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { queryKeys } from "./query-keys";

/** Response shapes of the signing-request routes (lib/api/signing-requests.ts). */
export type SigningRequestStatus = "reserved" | "pending_approval" | "committed" | "released" | "denied" | "rejected";

export interface SigningRequestView {
  id: string;
  signerId: string;
  signerName: string;
  mode: string;
  kind: string;
  outcome: "allow" | "deny" | "require_approval";
  status: SigningRequestStatus;
  request: {
    to: string | null;
    value: string;
    selector: string | null;
    tokenAction: { method: string; contract: string; amount: string; counterparty: string; unlimited: boolean } | null;
    messagePreview: string | null;
  };
  spend: { asset: string; amount: string }[];
  violations: { policyId: string; type: string; message: string }[];
  approvals: string[];
  matchedRule: { ruleId: string; action: string; description: string } | null;
  evaluated: { policies: { id: string; version: number }[]; document: { id: string; version: number } | null };
  ceremonyId: string | null;
  sessionStatus: string | null;
  expiresAt: string | null;
  messageHash: string | null;
  txHash: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: { id: string; name: string | null; email: string | null } | null;
}

interface SigningRequestPage {
  items: SigningRequestView[];
  nextCursor: string | null;
}

/** How often the inbox looks for new parked requests. */
export const APPROVALS_REFRESH_MS = 5_000;

export function signingRequestsPath(params: { status?: SigningRequestStatus; limit?: number }): string {
  const search = new URLSearchParams({ limit: String(params.limit ?? 50) });
  if (params.status) search.set("status", params.status);
  return `/api/v1/signing-requests?${search.toString()}`;
}

/** Pending requests (oldest wait first) and the most recent decided ones, refreshed while the page is open. */
export function useApprovalsInbox(organizationId: string) {
  return useQuery({
    queryKey: queryKeys.approvals(organizationId),
    queryFn: async ({ signal }) => {
      const [pending, recent] = await Promise.all([
        api.get<SigningRequestPage>(signingRequestsPath({ status: "pending_approval", limit: 100 }), signal),
        api.get<SigningRequestPage>(signingRequestsPath({ limit: 100 }), signal),
      ]);
      return {
        pending: [...pending.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        decided: recent.items.filter((item) => item.decidedAt !== null && item.status !== "pending_approval"),
      };
    },
    refetchInterval: APPROVALS_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

export function signingRequestPath(id: string, action: "approve" | "reject"): string {
  return `/api/v1/signing-requests/${encodeURIComponent(id)}/${action}`;
}

export const decideSigningRequest = (id: string, action: "approve" | "reject") =>
  api.post<{ signingRequest: SigningRequestView }>(signingRequestPath(id, action)).then((body) => body.signingRequest);
