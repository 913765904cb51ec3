/**
 * Seed 003's `smartwallet` registration mode. The human's account is a passkey-owned ERC-4337 account
 * (lib/aa/contracts/PasskeyAccount.sol, counterfactual until its first UserOperation): the session
 * derives its address from the passkey's public key, the proof provider attests the registration once
 * the proof is verified (an EIP-712 signature the registry checks), and the human's browser submits
 * `registerAgentWithAttestation` as a sponsored UserOperation through /api/aa/bundler. The registry
 * accepts it only from that account, so the token is minted to the passkey's account and the server
 * pays no gas. The session stays `proof-received` until the registration is on chain (any instance
 * sees it there), and fails once the attestation's deadline passes without it.
 */
import { encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { publicClientFor } from "@/lib/chain/networks";
import { passkeyAccountFactoryAbi } from "@/lib/aa/abi";
import { passkeyCoordinates } from "@/lib/aa/passkey-account";
import { aaForChain } from "@/lib/aa/proxy";
import { BadRequestError, NotConfiguredError } from "@/lib/http/errors";
import { agentRegistryAbi } from "./abi";
import { registrationStruct, type RegistrationInput } from "./local-provider";
import { providerAccount } from "./provider-key";
import type { IdentityChain } from "./registry";

/** What the browser needs to build the UserOperation (kept in the session's result). */
export type SmartWalletPlan = {
  account: Address;
  entryPoint: Address;
  factory: Address;
  /** Set once the proof is verified: the registry call the account makes, valid until `deadline` (unix seconds). */
  call?: { to: Address; data: Hex };
  deadline?: number;
  /** The block the attestation was made at (decimal): where to look for the registration's event. */
  fromBlock?: string;
};

/** The passkey's counterfactual account on the chain; 503 where the chain has no passkey factory or bundler. */
export async function smartWalletFor(db: DbOrTx, chain: IdentityChain, passkeyPublicKey: string): Promise<SmartWalletPlan> {
  const row = await db.network.findUnique({ where: { chainId: chain.network.chainId }, select: { aaEntryPoint: true, aaPasskeyFactory: true } });
  if (!row?.aaEntryPoint || !row.aaPasskeyFactory) throw new NotConfiguredError();
  if (!(await aaForChain(db, chain.network.chainId)).bundlerUrl) throw new NotConfiguredError();
  let coordinates: { qx: Hex; qy: Hex };
  try {
    coordinates = passkeyCoordinates(passkeyPublicKey as Hex);
  } catch (err) {
    throw new BadRequestError((err as Error).message, [{ field: "body.passkeyPublicKey", message: "64-byte x || y, or 65 bytes with 0x04" }]);
  }
  const factory = getAddress(row.aaPasskeyFactory);
  const account = await publicClientFor(chain.network).readContract({ address: factory, abi: passkeyAccountFactoryAbi, functionName: "getAddress", args: [coordinates.qx, coordinates.qy, 0n] });
  return { account: getAddress(account), entryPoint: getAddress(row.aaEntryPoint), factory };
}

/** The provider's attestation of `r` (the registry computes the EIP-712 digest it checks), as the account's call. */
export async function attestRegistration(db: DbOrTx, chain: IdentityChain, r: RegistrationInput, deadline: number, keyName: string): Promise<Required<Pick<SmartWalletPlan, "call" | "deadline" | "fromBlock">>> {
  const client = publicClientFor(chain.network);
  const registration = registrationStruct(r);
  const [digest, block] = await Promise.all([
    client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "attestationDigest", args: [registration, BigInt(deadline)] }),
    client.getBlockNumber(),
  ]);
  const signature = await (await providerAccount(db, keyName)).sign({ hash: digest });
  const data = encodeFunctionData({ abi: agentRegistryAbi, functionName: "registerAgentWithAttestation", args: [registration, BigInt(deadline), signature] });
  return { call: { to: chain.registry, data }, deadline, fromBlock: block.toString() };
}

export type Settlement = { stage: "completed"; agentId: number; txHash: Hex } | { stage: "failed"; error: string } | null;

export const ATTESTATION_EXPIRED = "The registration was not submitted before its attestation expired";

/** Whether the account's registration is on chain (completed, with its transaction), past its deadline (failed), or still awaited (null). */
export async function settleSmartWallet(chain: IdentityChain, agentAddress: Address, plan: Required<Pick<SmartWalletPlan, "deadline" | "fromBlock">>): Promise<Settlement> {
  const client = publicClientFor(chain.network);
  const agentId = Number(await client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "agentIdOf", args: [agentAddress] }));
  if (agentId !== 0) {
    const [log] = await client.getContractEvents({ address: chain.registry, abi: agentRegistryAbi, eventName: "AgentRegistered", args: { agentId: BigInt(agentId) }, fromBlock: BigInt(plan.fromBlock), strict: true });
    if (log?.transactionHash) return { stage: "completed", agentId, txHash: log.transactionHash };
  }
  const block = await client.getBlock({ blockTag: "latest" });
  if (Number(block.timestamp) > plan.deadline) return { stage: "failed", error: ATTESTATION_EXPIRED };
  return null;
}
