"use client";

import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { inboxItem } from "@/lib/api/approvals-inbox";
import { assertionHeader } from "./passkey-assertion";
import { api, apiRequest } from "./client";
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

/** Seed 004 requests with agent, value and decision facts (lib/api/approvals-inbox.ts). */
export type ApprovalInboxItem = z.output<typeof inboxItem>;

/** One row of the unified inbox: a seed 004 request, or a parked guardrails signing request with no seed 004 request. */
export type InboxEntry = { kind: "approval"; key: string; pending: boolean; sortAt: string; item: ApprovalInboxItem } | { kind: "signing_request"; key: string; pending: boolean; sortAt: string; item: SigningRequestView };

/**
 * Merges both sources into one list (pure): a relay request and the signing request it decides
 * appear once, as the seed 004 row. Pending first (newest first), then decided (latest decision first).
 * Signing requests that never waited for a human (allowed or denied outright) are left out.
 */
export function mergeInbox(approvals: ApprovalInboxItem[], signingRequests: SigningRequestView[]): { pending: InboxEntry[]; decided: InboxEntry[] } {
  const linked = new Set(approvals.flatMap((a) => (a.signingRequestId ? [a.signingRequestId] : [])));
  const entries: InboxEntry[] = approvals.map((item) => {
    const pending = item.decision === null && item.status === "pending_human";
    return { kind: "approval", key: `ntf:${item.notificationId}`, pending, sortAt: pending ? item.createdAt : (item.decision?.decidedAt ?? item.createdAt), item };
  });
  const seen = new Set<string>();
  for (const item of signingRequests) {
    if (linked.has(item.id) || seen.has(item.id)) continue;
    seen.add(item.id);
    const pending = item.status === "pending_approval";
    if (!pending && item.decidedAt === null) continue;
    entries.push({ kind: "signing_request", key: `sr:${item.id}`, pending, sortAt: pending ? item.createdAt : item.decidedAt!, item });
  }
  const byTime = (a: InboxEntry, b: InboxEntry) => new Date(b.sortAt).getTime() - new Date(a.sortAt).getTime();
  return { pending: entries.filter((e) => e.pending).sort(byTime), decided: entries.filter((e) => !e.pending).sort(byTime) };
}

export const APPROVALS_INBOX_PATH = "/api/v1/approvals/inbox";

/**
 * The unified inbox: seed 004 requests (GET /api/v1/approvals/inbox) and parked signing requests
 * (GET /api/v1/signing-requests), refreshed every few seconds while the page is visible and again
 * when the window regains focus.
 */
export function useApprovalsInbox(organizationId: string) {
  return useQuery({
    queryKey: queryKeys.approvals(organizationId),
    queryFn: async ({ signal }) => {
      const [approvals, pending, recent] = await Promise.all([
        api.get<{ items: ApprovalInboxItem[] }>(APPROVALS_INBOX_PATH, signal),
        api.get<SigningRequestPage>(signingRequestsPath({ status: "pending_approval", limit: 100 }), signal),
        api.get<SigningRequestPage>(signingRequestsPath({ limit: 100 }), signal),
      ]);
      return mergeInbox(approvals.items, [...pending.items, ...recent.items]);
    },
    refetchInterval: APPROVALS_REFRESH_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}

/** The approval page's facts for one notification (who decided, from which device; relay actions). */
export function approvalsInboxItemPath(notificationId: string): string {
  return `${APPROVALS_INBOX_PATH}/${encodeURIComponent(notificationId)}`;
}

export function signingRequestPath(id: string, action: "approve" | "reject"): string {
  return `/api/v1/signing-requests/${encodeURIComponent(id)}/${action}`;
}

/** Risk levels whose Allow asks for the reviewer's passkey (lib/gateway/checks.ts PASSKEY_RISK_LEVELS). */
const GATEWAY_PASSKEY_RISKS = new Set(["HIGH", "CRITICAL"]);

/**
 * Decides a pending gateway check (PATCH /api/v1/check/{id}). Allowing a HIGH or CRITICAL check is
 * bound to the reviewer's passkey like accepting a transaction: a challenge committing to the check
 * and its arguments digest, answered by the authenticator, sent as X-Countersign-Assertion.
 */
export async function decideGatewayCheck(id: string, decision: "allow" | "block", riskLevel: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (decision === "allow" && GATEWAY_PASSKEY_RISKS.has(riskLevel)) {
    const ch = await api.post<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>("/api/v1/approvals/challenge", { gatewayCheckId: id });
    let assertion;
    try {
      assertion = await startAuthentication({ optionsJSON: ch.options });
    } catch (err) {
      throw new Error(err instanceof Error && err.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out. Allow again to retry." : `Passkey check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    headers["X-Countersign-Assertion"] = assertionHeader(ch.challengeId, assertion);
  }
  return apiRequest(`/api/v1/check/${encodeURIComponent(id)}`, { method: "PATCH", body: { decision }, headers });
}

/**
 * Reject is a plain POST. Approve is bound to the approver's passkey like accepting on the approval
 * page: a challenge committing to this request and its hash, answered by the authenticator, sent as
 * X-Countersign-Assertion.
 */
export async function decideSigningRequest(id: string, action: "approve" | "reject"): Promise<SigningRequestView> {
  const headers: Record<string, string> = {};
  if (action === "approve") {
    const ch = await api.post<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>("/api/v1/approvals/challenge", { signingRequestId: id });
    let assertion;
    try {
      assertion = await startAuthentication({ optionsJSON: ch.options });
    } catch (err) {
      throw new Error(err instanceof Error && err.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out. Approve again to retry." : `Passkey check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    headers["X-Countersign-Assertion"] = assertionHeader(ch.challengeId, assertion);
  }
  const body = await apiRequest<{ signingRequest: SigningRequestView }>(signingRequestPath(id, action), { method: "POST", body: {}, headers });
  return body.signingRequest;
}
