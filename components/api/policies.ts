"use client";

import { useQuery } from "@tanstack/react-query";
import type { PolicyType } from "@/lib/policy/types";
import { apiRequest, type HttpMethod } from "./client";
import { queryKeys } from "./query-keys";
import { signerPath } from "./signers";

/**
 * Response shapes of the guardrail routes: built-in policies (lib/api/policies.ts) and versioned
 * rules documents with draft, activate, backtest and history (lib/api/policy-documents.ts).
 */
export interface BuiltinPolicy {
  id: string;
  signerId: string;
  type: PolicyType;
  config: unknown;
  enabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type DocumentStatus = "draft" | "active" | "superseded";

export interface UserRef {
  id: string;
  email: string | null;
}

export interface DocumentView {
  id: string;
  signerId: string;
  version: number;
  status: DocumentStatus;
  rules: unknown;
  preview: string[];
  createdAt: string;
  createdBy: UserRef | null;
  updatedAt: string;
  activatedAt: string | null;
  activatedBy: UserRef | null;
  supersededAt: string | null;
}

export type Decision = "allow" | "deny" | "require_approval";

export interface BacktestRequestSummary {
  kind: string;
  to: string | null;
  /** Native value in wei. */
  value: string;
  selector: string | null;
  token: { address: string; symbol?: string; amount: string } | null;
  summary: string;
}

export interface BacktestItemView {
  id: string;
  at: string;
  request: BacktestRequestSummary;
  then: Decision;
  now: Decision;
  changed: boolean;
  reasons: string[];
  matchedRuleId: string | null;
}

export interface BacktestSummaryView {
  total: number;
  changed: number;
  allowToDeny: number;
  denyToAllow: number;
  toApproval: number;
  fromApproval: number;
}

export interface BacktestResponse {
  document: { id: string; version: number } | null;
  items: BacktestItemView[];
  summary: BacktestSummaryView;
  truncated: boolean;
  skipped?: number;
}

/** apiRequest with the method first; violations carry the server's field paths (body.config.…). */
export function policyRequest<T>(path: string, method: HttpMethod = "GET", body?: unknown, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(path, { method, body, signal });
}

export function policyPath(id: string): string {
  return `/api/v1/policies/${encodeURIComponent(id)}`;
}

export function useBuiltinPolicies(organizationId: string, signerId: string) {
  return useQuery({
    queryKey: queryKeys.policies.builtin(organizationId, signerId),
    queryFn: ({ signal }) => policyRequest<{ policies: BuiltinPolicy[] }>(signerPath(signerId, "/policies"), "GET", undefined, signal).then((b) => b.policies),
  });
}

export function useActiveDocument(organizationId: string, signerId: string) {
  return useQuery({
    queryKey: queryKeys.policies.active(organizationId, signerId),
    queryFn: ({ signal }) => policyRequest<{ policy: DocumentView | null }>(signerPath(signerId, "/policy"), "GET", undefined, signal).then((b) => b.policy),
  });
}

export function useDraftDocument(organizationId: string, signerId: string) {
  return useQuery({
    queryKey: queryKeys.policies.draft(organizationId, signerId),
    queryFn: ({ signal }) => policyRequest<{ draft: DocumentView | null }>(signerPath(signerId, "/policy/draft"), "GET", undefined, signal).then((b) => b.draft),
  });
}

export function useDocumentHistory(organizationId: string, signerId: string) {
  return useQuery({
    queryKey: queryKeys.policies.history(organizationId, signerId),
    queryFn: ({ signal }) => policyRequest<{ versions: DocumentView[] }>(signerPath(signerId, "/policy/history"), "GET", undefined, signal).then((b) => b.versions),
  });
}

/** The body is the rules document itself. */
export const saveDraft = (signerId: string, document: unknown) =>
  policyRequest<{ draft: DocumentView }>(signerPath(signerId, "/policy/draft"), "PUT", document).then((b) => b.draft);

/** `version` and `updatedAt` make the server refuse (409) if the draft changed since it was reviewed. */
export const activateDraft = (signerId: string, draft: { version: number; updatedAt?: string }) =>
  policyRequest<{ policy: DocumentView }>(signerPath(signerId, "/policy/activate"), "POST", draft.updatedAt ? { version: draft.version, updatedAt: draft.updatedAt } : { version: draft.version }).then((b) => b.policy);

export const runBacktest = (signerId: string, document?: unknown) =>
  policyRequest<BacktestResponse>(signerPath(signerId, "/policy/backtest"), "POST", document === undefined ? {} : { document });

export const createBuiltinPolicy = (signerId: string, type: PolicyType, config: unknown, enabled = true) =>
  policyRequest<{ policy: BuiltinPolicy }>(signerPath(signerId, "/policies"), "POST", { type, config, enabled }).then((b) => b.policy);

export const updateBuiltinPolicy = (id: string, patch: { config?: unknown; enabled?: boolean }) =>
  policyRequest<{ policy: BuiltinPolicy }>(policyPath(id), "PATCH", patch).then((b) => b.policy);

export const deleteBuiltinPolicy = (id: string) => policyRequest<void>(policyPath(id), "DELETE");
