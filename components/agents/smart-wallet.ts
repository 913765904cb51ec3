"use client";

/**
 * The browser's half of seed 003's smartwallet mode: a passkey (WebAuthn P-256) created for the
 * human's ERC-4337 account, and the registration sent as a sponsored UserOperation through this
 * app's /api/aa/paymaster and /api/aa/bundler (viem's account-abstraction clients, the passkey
 * signing the userOpHash). The chain is read directly at the network's RPC URL, as the send dialog does.
 */
import { createPublicClient, http, type Address, type Hex } from "viem";
import { createBundlerClient, createPaymasterClient, createWebAuthnCredential, toWebAuthnAccount } from "viem/account-abstraction";
import { toPasskeyAccount } from "@/lib/aa/passkey-account";
import { api } from "../api/client";
import type { Network } from "../api/signers";

export type Passkey = { id: string; publicKey: Hex };
export type SmartWalletPlan = { account: Address; entryPoint: Address; factory: Address; call?: { to: Address; data: Hex }; deadline?: number };

const storageKey = (agentId: string) => `countersign:smartwallet-passkey:${agentId}`;

/** A new passkey for the agent's smart account; remembered in this browser (its id and public key are not secret) so a reload can still sign. */
export async function createSmartWalletPasskey(agentId: string, agentName: string): Promise<Passkey> {
  const credential = await createWebAuthnCredential({ name: `Countersign · ${agentName}`.slice(0, 64) });
  const passkey = { id: credential.id, publicKey: credential.publicKey };
  try {
    window.localStorage.setItem(storageKey(agentId), JSON.stringify(passkey));
  } catch {
    // storage unavailable (private mode): the passkey lives in memory for this page
  }
  return passkey;
}

export function rememberedPasskey(agentId: string): Passkey | null {
  try {
    const raw = window.localStorage.getItem(storageKey(agentId));
    const parsed = raw ? (JSON.parse(raw) as Passkey) : null;
    return parsed && typeof parsed.id === "string" && typeof parsed.publicKey === "string" ? parsed : null;
  } catch {
    return null;
  }
}

export type SubmitProgress = "token" | "signing" | "bundling" | "mined";

/** Sends the plan's registry call from the passkey's account (deployed by this first UserOperation), paid by the paymaster; resolves with the mined transaction. */
export async function submitSmartWalletRegistration(
  p: { network: Network; passkey: Passkey; plan: SmartWalletPlan },
  onProgress: (step: SubmitProgress) => void,
): Promise<{ transactionHash: Hex; success: boolean }> {
  const { network, passkey, plan } = p;
  if (!plan.call) throw new Error("The registration is not attested yet");
  onProgress("token");
  const { token } = await api.post<{ token: string; expiresAt: number }>(`/api/aa/token?chainId=${network.chainId}`);
  const proxy = (path: string) => http(new URL(`${path}?chainId=${network.chainId}`, window.location.origin).toString(), { fetchOptions: { headers: { "x-aa-proxy-token": token } }, retryCount: 0 });
  const chain = { id: network.chainId, name: network.name, nativeCurrency: network.nativeCurrency, rpcUrls: { default: { http: [network.rpcUrl] } } };
  const client = createPublicClient({ chain, transport: http(network.rpcUrl) });
  const account = await toPasskeyAccount({ client, owner: toWebAuthnAccount({ credential: passkey }), factoryAddress: plan.factory, entryPointAddress: plan.entryPoint, address: plan.account });
  const bundler = createBundlerClient({ account, client, paymaster: createPaymasterClient({ transport: proxy("/api/aa/paymaster") }), transport: proxy("/api/aa/bundler") });
  onProgress("signing");
  const hash = await bundler.sendUserOperation({ calls: [{ to: plan.call.to, data: plan.call.data, value: 0n }] });
  onProgress("bundling");
  const receipt = await bundler.waitForUserOperationReceipt({ hash, pollingInterval: network.isDevnet ? 500 : 3000, timeout: 5 * 60_000 });
  onProgress("mined");
  return { transactionHash: receipt.receipt.transactionHash, success: receipt.success };
}
