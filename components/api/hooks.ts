"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { queryKeys } from "./query-keys";
import type { ApiKey, ApiKeyScope, AuditPage, MembersResponse, Passkey } from "./types";

export function useMembers(organizationId: string) {
  return useQuery({
    queryKey: queryKeys.members(organizationId),
    queryFn: ({ signal }) => api.get<MembersResponse>("/api/v1/members", signal),
  });
}

export function useApiKeys(organizationId: string) {
  return useQuery({
    queryKey: queryKeys.apiKeys(organizationId),
    queryFn: ({ signal }) => api.get<{ apiKeys: ApiKey[] }>("/api/v1/api-keys", signal).then((body) => body.apiKeys),
  });
}

export function useApiKeyScopes() {
  return useQuery({
    queryKey: queryKeys.apiKeyScopes,
    queryFn: ({ signal }) => api.get<{ scopes: ApiKeyScope[] }>("/api/v1/api-keys/scopes", signal).then((body) => body.scopes),
    staleTime: Infinity,
  });
}

export function usePasskeys() {
  return useQuery({
    queryKey: queryKeys.passkeys,
    queryFn: ({ signal }) => api.get<{ passkeys: Passkey[] }>("/api/v1/passkeys", signal).then((body) => body.passkeys),
  });
}

export function auditLogPath(limit: number, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  return `/api/v1/audit-log?${params.toString()}`;
}

export function useAuditLog(organizationId: string, limit: number) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit(organizationId, limit),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => api.get<AuditPage>(auditLogPath(limit, pageParam), signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Keys that can still authenticate: not revoked and not past their expiry. */
export function activeApiKeys(keys: readonly ApiKey[], now: Date = new Date()): ApiKey[] {
  return keys.filter((key) => !key.revokedAt && (!key.expiresAt || new Date(key.expiresAt).getTime() > now.getTime()));
}
