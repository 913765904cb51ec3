"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { agentKeys, agentPath } from "./agents";
import { api } from "./client";

/** GET /api/v1/agents/{id}/identity */
export type AgentIdentity = {
  status: "not_linked" | "not_on_chain" | "registered";
  chainId?: number;
  agentId?: string;
  identity: {
    agentId: number;
    chainId: number;
    agentAddress: string;
    isVerified: boolean;
    proofProvider: string;
    verificationStrength: number;
    strengthLabel: string;
    credentials: { nationality: string; olderThan: number; ofac: [boolean, boolean, boolean] };
    registeredAt: number;
    network: string;
    humanAgentCount: number;
    maxAgentsPerHuman: number;
    proofRefreshedAt: number;
    registry: string;
    addressMatches: boolean | null;
  } | null;
};

/** smartwallet mode: the passkey's account, the contracts, and once the proof is verified the registry call it makes. */
export type SmartWalletPlan = { account: `0x${string}`; entryPoint: `0x${string}`; factory: `0x${string}`; call?: { to: `0x${string}`; data: `0x${string}` }; deadline?: number };
export type RegisterSession = { sessionToken: string; deepLink: string; qrData: string; agentAddress: string; mode: string; network: string; chainId: number; expiresAt: number; humanAddress?: string; smartWallet?: SmartWalletPlan };
export type RegisterStatus = { stage: "qr-ready" | "proof-received" | "completed" | "failed"; chainId: number; agentId?: number; agentAddress: string | null; txHash?: string; error?: string; humanAddress?: string | null; smartWallet?: SmartWalletPlan };

export function useAgentIdentity(organizationId: string, id: string) {
  return useQuery({
    queryKey: [...agentKeys.detail(organizationId, id), "identity"],
    queryFn: ({ signal }) => api.get<AgentIdentity>(agentPath(id, "/identity"), signal),
    retry: false,
  });
}

/** POST /api/v1/agents/{id}/identity/sessions: "Verify as human". */
export function useStartVerification(agentId: string) {
  return useMutation({
    mutationFn: (smartWallet?: { passkeyPublicKey: string }) =>
      api.post<RegisterSession>(agentPath(agentId, "/identity/sessions"), {
        network: "testnet",
        disclosures: { minimumAge: 18, ofac: true, nationality: true },
        ...(smartWallet ? { mode: "smartwallet", passkeyPublicKey: smartWallet.passkeyPublicKey } : {}),
      }),
  });
}

/** Polls GET /api/agent/register/status until the session completes or fails, then refreshes the agent. */
export function useRegisterStatus(token: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["identity-session", token],
    enabled: token !== null,
    queryFn: async ({ signal }) => {
      const s = await api.get<RegisterStatus>(`/api/agent/register/status?token=${encodeURIComponent(token!)}`, signal);
      if (s.stage === "completed") await queryClient.invalidateQueries({ queryKey: agentKeys.all });
      return s;
    },
    refetchInterval: (q) => (q.state.data && (q.state.data.stage === "completed" || q.state.data.stage === "failed") ? false : 1500),
  });
}

/** GET /api/agent/register/export: the generated agent key, once. */
export function useExportAgentKey(token: string | null) {
  return useMutation({ mutationFn: () => api.get<{ privateKey: string; agentAddress: string; agentId: number }>(`/api/agent/register/export?token=${encodeURIComponent(token!)}`) });
}

export type DeregisterSession = { sessionToken: string; deepLink: string; qrData: string; network: string; chainId: number; expiresAt: number; agentId: number; agentAddress: string };
export type DeregisterStatus = { stage: "qr-ready" | "proof-received" | "completed" | "failed"; agentId: number | null; agentAddress: string | null; txHash?: string; error?: string };

/** POST /api/agent/deregister (seed 003): the person proves again, then the agent's token is burned. */
export function useStartDeregistration() {
  return useMutation({ mutationFn: (i: { chainId: number; agentAddress: string }) => api.post<DeregisterSession>("/api/agent/deregister", { chainId: i.chainId, agentAddress: i.agentAddress }) });
}

/** Polls GET /api/agent/deregister/status until the token is burned (or the session failed), then refreshes the agent. */
export function useDeregisterStatus(token: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["identity-deregister-session", token],
    enabled: token !== null,
    queryFn: async ({ signal }) => {
      const s = await api.get<DeregisterStatus>(`/api/agent/deregister/status?token=${encodeURIComponent(token!)}`, signal);
      if (s.stage === "completed") await queryClient.invalidateQueries({ queryKey: agentKeys.all });
      return s;
    },
    refetchInterval: (q) => (q.state.data && (q.state.data.stage === "completed" || q.state.data.stage === "failed") ? false : 1500),
  });
}
