"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import { ApiError } from "./errors";
import type { Signer } from "./signers";

/** Response shapes of the Agent registry routes (lib/api/agents.ts). */
export type AgentStatus = "active" | "paused" | "retired";

export interface AgentIdentifiers {
  signetSid: string | null;
  aegisAgentId: string | null;
  onchain: { chainId: number; agentId: string } | null;
  agentAddress: string | null;
  turnkeyWalletId: string | null;
}

export interface Agent {
  id: string;
  name: string;
  description: string | null;
  status: AgentStatus;
  ownerId: string | null;
  identifiers: AgentIdentifiers;
  signerIds: string[];
  signerCount: number;
  pairingIds: string[];
  lastActivityAt: string | null;
  pausedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AgentCredential {
  id: string;
  signerId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface AgentPairing {
  id: string;
  agentAddress: string;
  executionMode: string;
  chainId: number;
  safeAddress: string | null;
  signerId: string | null;
  createdAt: string;
}

export interface AgentDecision {
  id: string;
  signerId: string;
  signerName: string;
  kind: string;
  outcome: "allow" | "deny" | "require_approval";
  status: string;
  request: { to: string | null; value: string; messagePreview: string | null };
  createdAt: string;
}

export interface AgentToolCall {
  checkId: string;
  toolName: string;
  decision: "allow" | "block" | "pending";
  riskLevel: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  policyName: string;
  decidedBy: string | null;
  createdAt: string;
}

export interface AgentToolCalls {
  allowedTools: string[] | null;
  recent: AgentToolCall[];
}

export interface AgentTrustScore {
  sid: string;
  composite: number;
  reliability: number;
  quality: number;
  financial: number;
  security: number;
  stability: number;
  confidence: "low" | "medium" | "high";
  recommendation: "clear" | "review" | "caution";
  identityLevel: number;
  transactions: number;
  fingerprint: string;
  lastUpdated: string;
}

export interface AgentDetail {
  agent: Agent;
  signers: (Signer & { agentId: string | null })[];
  credentials: AgentCredential[];
  pairings: AgentPairing[];
  recentDecisions: AgentDecision[];
  /** The gateway (seed 002): the tool allow-list (null: every tool) and the latest checks. */
  toolCalls: AgentToolCalls;
  /** Seed 001 trust score, null while the agent has none. */
  trustScore: AgentTrustScore | null;
}

export interface MintedAgentToken {
  token: string;
  expiresAt: string;
  scopes: string[];
  kid: string;
}

export const agentKeys = {
  all: ["agents"] as const,
  list: (organizationId: string) => ["agents", organizationId, "list"] as const,
  detail: (organizationId: string, id: string) => ["agents", organizationId, id] as const,
};

export function agentPath(id: string, suffix = ""): string {
  return `/api/v1/agents/${encodeURIComponent(id)}${suffix}`;
}

function retryTransient(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.statusCode < 500) return false;
  return failureCount < 2;
}

export function useAgents(organizationId: string) {
  return useQuery({
    queryKey: agentKeys.list(organizationId),
    queryFn: ({ signal }) => api.get<{ items: Agent[]; nextCursor: string | null }>("/api/v1/agents?limit=100", signal).then((body) => body.items),
    retry: retryTransient,
  });
}

export function useAgent(organizationId: string, id: string) {
  return useQuery({
    queryKey: agentKeys.detail(organizationId, id),
    queryFn: ({ signal }) => api.get<AgentDetail>(agentPath(id), signal),
    retry: retryTransient,
  });
}

export interface TrustHistoryEvent {
  at: string;
  eventType: string;
  kind: string;
  source: "reported" | "countersign" | null;
  transactionType: string | null;
  composite: number;
  reliability: number;
  quality: number;
  financial: number;
  security: number;
  stability: number;
}

export interface TrustHistory {
  sid: string | null;
  events: TrustHistoryEvent[];
  configs: { at: string; changeType: string | null; fingerprint: string; modelProvider: string; modelName: string; tools: string[] }[];
}

/** The agent's trust score history and configuration history (GET /api/v1/agents/{id}/trust-history). */
export function useTrustHistory(organizationId: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...agentKeys.detail(organizationId, id), "trust-history"] as const,
    queryFn: ({ signal }) => api.get<TrustHistory>(agentPath(id, "/trust-history"), signal),
    retry: retryTransient,
    enabled,
  });
}

/** Refreshes every cached agent query (list and details) after a change. */
function useRefreshAgents() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: agentKeys.all }), queryClient.invalidateQueries({ queryKey: ["audit-log"] })]);
}

export function useCreateAgent() {
  const refresh = useRefreshAgents();
  return useMutation({
    mutationFn: (body: { name: string; description?: string; identifiers?: Partial<AgentIdentifiers> }) => api.post<{ agent: Agent }>("/api/v1/agents", body).then((b) => b.agent),
    onSuccess: () => refresh(),
  });
}

export function useAgentKillSwitch(agentId: string) {
  const refresh = useRefreshAgents();
  return useMutation({
    mutationFn: (action: "pause" | "resume") => api.post<{ agent: Agent; abortedSessions: number }>(agentPath(agentId, `/${action}`)),
    onSuccess: () => refresh(),
  });
}

export function useAttachSigner(agentId: string) {
  const refresh = useRefreshAgents();
  return useMutation({
    mutationFn: (signerId: string) => api.put<{ agent: Agent }>(agentPath(agentId, `/signers/${encodeURIComponent(signerId)}`), {}),
    onSuccess: () => refresh(),
  });
}

export function useMintAgentToken(agentId: string) {
  return useMutation({ mutationFn: () => api.post<MintedAgentToken>(agentPath(agentId, "/tokens"), {}) });
}

/** PUT /api/v1/gateway/agents/{id}/tools: replaces the agent's tool allow-list (null removes it). */
export function useSetAgentAllowList(agentId: string) {
  const refresh = useRefreshAgents();
  return useMutation({
    mutationFn: (allowedTools: string[] | null) => api.put<{ allowed_tools: string[] | null }>(`/api/v1/gateway/agents/${encodeURIComponent(agentId)}/tools`, { allowed_tools: allowedTools }),
    onSuccess: () => refresh(),
  });
}
