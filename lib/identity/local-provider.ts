/**
 * The local (development) proof provider's chain writes: mint, refresh and burn with the provider
 * key the registry authorised (lib/identity/provider-key.ts). Its proofs are mock proofs: it is
 * only authorised on registries this server deployed on a devnet. A provider key is shared by every
 * instance: its transactions go through lib/chain/serial-sender.ts (one nonce at a time).
 */
import { parseEventLogs, type Address, type Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { publicClientFor } from "@/lib/chain/networks";
import { contractCall, sendFromServerKey } from "@/lib/chain/serial-sender";
import { agentRegistryAbi } from "./abi";
import { LOCAL_PROVIDER, providerAccount } from "./provider-key";
import type { IdentityChain } from "./registry";

export type RegistrationInput = {
  nullifier: bigint;
  agentAddress?: Address;
  ed25519Key?: Hex;
  humanAddress?: Address;
  verificationStrength: number;
  credentials: { nationality: string; olderThan: number; ofac: readonly [boolean, boolean, boolean] };
  metadata: { name: string; description: string; a2aEndpoint: string; mcpEndpoint: string };
};

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;
const ZERO32 = `0x${"00".repeat(32)}` as const;

/** The registry's `Registration` struct for `r` (zero for what the mode leaves out). */
export function registrationStruct(r: RegistrationInput) {
  return {
    nullifier: r.nullifier,
    agentAddress: r.agentAddress ?? ZERO_ADDRESS,
    ed25519Key: r.ed25519Key ?? ZERO32,
    humanAddress: r.humanAddress ?? ZERO_ADDRESS,
    verificationStrength: r.verificationStrength,
    credentials: r.credentials,
    metadata: r.metadata,
  } as const;
}

/** `keyName`: the provider key whose account the registry authorised (the local provider's by default). */
export async function registerWithLocalProvider(db: DbOrTx, chain: IdentityChain, r: RegistrationInput, keyName: string = LOCAL_PROVIDER): Promise<{ agentId: number; txHash: Hex }> {
  const account = await providerAccount(db, keyName);
  const client = publicClientFor(chain.network);
  const args = [registrationStruct(r)] as const;
  const { request } = await client.simulateContract({ account, address: chain.registry, abi: agentRegistryAbi, functionName: "registerAgent", args });
  const txHash = await sendFromServerKey(db, chain.network, account, contractCall({ ...request, abi: agentRegistryAbi }));
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  const [event] = parseEventLogs({ abi: agentRegistryAbi, eventName: "AgentRegistered", logs: receipt.logs });
  if (receipt.status !== "success" || !event) throw new Error(`registerAgent ${txHash} failed`);
  return { agentId: Number(event.args.agentId), txHash };
}

export async function deregisterWithLocalProvider(db: DbOrTx, chain: IdentityChain, agentId: number, nullifier: bigint, keyName: string = LOCAL_PROVIDER): Promise<Hex> {
  const account = await providerAccount(db, keyName);
  const client = publicClientFor(chain.network);
  const { request } = await client.simulateContract({ account, address: chain.registry, abi: agentRegistryAbi, functionName: "deregisterAgent", args: [BigInt(agentId), nullifier] });
  const txHash = await sendFromServerKey(db, chain.network, account, contractCall({ ...request, abi: agentRegistryAbi }));
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success") throw new Error(`deregisterAgent ${txHash} failed`);
  return txHash;
}

export async function refreshWithLocalProvider(
  db: DbOrTx,
  chain: IdentityChain,
  agentId: number,
  nullifier: bigint,
  verificationStrength: number,
  credentials: RegistrationInput["credentials"],
  keyName: string = LOCAL_PROVIDER,
): Promise<Hex> {
  const account = await providerAccount(db, keyName);
  const client = publicClientFor(chain.network);
  const { request } = await client.simulateContract({
    account,
    address: chain.registry,
    abi: agentRegistryAbi,
    functionName: "refreshProof",
    args: [BigInt(agentId), nullifier, verificationStrength, credentials],
  });
  const txHash = await sendFromServerKey(db, chain.network, account, contractCall({ ...request, abi: agentRegistryAbi }));
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success") throw new Error(`refreshProof ${txHash} failed`);
  return txHash;
}
