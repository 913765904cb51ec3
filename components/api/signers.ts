"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { ApiError } from "./errors";
import type { AuditPage } from "./types";

/** Response shapes of the signer routes (lib/api/signers.ts, lib/api/signer-admin.ts, lib/api/chain.ts). */
export type SignerStatus = "creating" | "active" | "paused" | "failed";

export interface Signer {
  id: string;
  /** The agent (Agent registry) this signer belongs to. */
  agentId?: string | null;
  name: string;
  description: string | null;
  status: SignerStatus;
  chainId: number;
  address: string | null;
  publicKey: string | null;
  threshold: number;
  parties: number;
  createdAt: string;
  updatedAt: string;
}

export interface Network {
  chainId: number;
  name: string;
  rpcUrl: string;
  explorerUrl?: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  enabled: boolean;
  isDevnet: boolean;
}

export interface NativeBalance {
  address: string;
  chainId: number;
  balance: string;
  formatted: string;
  symbol: string;
}

export interface TrackedToken {
  id: string;
  chainId: number;
  address: string;
  symbol: string;
  decimals: number;
  name: string | null;
  createdAt: string;
}

export interface TokenBalance {
  tokenId: string;
  address: string;
  symbol: string;
  decimals: number;
  balance: string | null;
  formatted: string | null;
  error: string | null;
}

export interface TokenBalances {
  address: string;
  chainId: number;
  tokens: TokenBalance[];
}

export interface RotatedSignerKey {
  apiKey: { id: string; prefix: string; secret: string };
}

export interface SimulationRequest {
  to: string | null;
  value?: string;
  data?: string;
}

export interface SimulationResult {
  success: boolean;
  returnData: string | null;
  gasEstimate: string | null;
  revertReason: string | null;
}

export const signerKeys = {
  all: ["signers"] as const,
  list: (organizationId: string) => ["signers", organizationId, "list"] as const,
  detail: (organizationId: string, id: string) => ["signers", organizationId, id] as const,
  balance: (organizationId: string, id: string) => ["signers", organizationId, id, "balance"] as const,
  tokenBalances: (organizationId: string, id: string) => ["signers", organizationId, id, "token-balances"] as const,
  networks: ["networks"] as const,
  activity: (organizationId: string, id: string, limit: number) => ["audit-log", organizationId, "signer", id, limit] as const,
};

/** Every cached audit-log page: signer changes add events the activity card should show. */
export const auditLogPrefix = ["audit-log"] as const;

export function signerPath(id: string, suffix = ""): string {
  return `/api/v1/signers/${encodeURIComponent(id)}${suffix}`;
}

/** 4xx answers will not change on a retry; only network and 5xx failures are worth retrying. */
function retryTransient(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.statusCode < 500) return false;
  return failureCount < 2;
}

export function useSigners(organizationId: string) {
  return useQuery({
    queryKey: signerKeys.list(organizationId),
    queryFn: ({ signal }) => api.get<{ signers: Signer[] }>("/api/v1/signers", signal).then((body) => body.signers),
  });
}

export function useSigner(organizationId: string, id: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: signerKeys.detail(organizationId, id),
    queryFn: ({ signal }) => api.get<{ signer: Signer }>(signerPath(id), signal).then((body) => body.signer),
    retry: retryTransient,
  });
}

export function useNetworks() {
  return useQuery({
    queryKey: signerKeys.networks,
    queryFn: ({ signal }) => api.get<{ networks: Network[] }>("/api/v1/networks", signal).then((body) => body.networks),
    staleTime: 5 * 60_000,
  });
}

/** Native balance; only requested for signers that have an address (the route answers 409 otherwise). */
export function useSignerBalance(organizationId: string, id: string, enabled: boolean) {
  return useQuery(signerBalanceQuery(organizationId, id, enabled));
}

/** The query behind useSignerBalance (also read by useQueries, e.g. the overview's total value). */
export function signerBalanceQuery(organizationId: string, id: string, enabled: boolean) {
  return {
    queryKey: signerKeys.balance(organizationId, id),
    queryFn: ({ signal }: { signal: AbortSignal }) => api.get<NativeBalance>(signerPath(id, "/balance"), signal),
    enabled,
    retry: retryTransient,
  };
}

export function useTokenBalances(organizationId: string, id: string, enabled: boolean) {
  return useQuery(tokenBalancesQuery(organizationId, id, enabled));
}

export function tokenBalancesQuery(organizationId: string, id: string, enabled: boolean) {
  return {
    queryKey: signerKeys.tokenBalances(organizationId, id),
    queryFn: ({ signal }: { signal: AbortSignal }) => api.get<TokenBalances>(signerPath(id, "/token-balances"), signal),
    enabled,
    retry: retryTransient,
  };
}

/** The newest audit events about one signer, filtered by the server (`?signer=`). */
export function signerActivityPath(signerId: string, limit: number): string {
  return `/api/v1/audit-log?${new URLSearchParams({ signer: signerId, limit: String(limit) }).toString()}`;
}

export function useSignerActivity(organizationId: string, signerId: string, limit: number) {
  return useQuery({
    queryKey: signerKeys.activity(organizationId, signerId, limit),
    queryFn: ({ signal }) => api.get<AuditPage>(signerActivityPath(signerId, limit), signal).then((page) => page.items),
    retry: retryTransient,
  });
}
