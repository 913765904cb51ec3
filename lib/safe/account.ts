/**
 * Talking to a deployed Safe with viem: read owners/threshold/nonce/version, create a Safe through
 * the canonical SafeProxyFactory, and execute a fully signed Safe transaction.
 */
import { encodePacked, getAddress, getContractAddress, keccak256, type Account, type Address, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from "viem";
import { loadSafeArtifact } from "./artifacts";
import { canonicalSafeAddresses } from "./contracts-v150";
import { packSignatures, safeSetupCalldata, type OwnerSignature, type SafeTransactionData } from "./transaction";

export const safeAbi = () => loadSafeArtifact("Safe.sol/Safe.json").abi;
export const proxyFactoryAbi = () => loadSafeArtifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json").abi;

export type SafeState = { address: Address; version: string; threshold: number; owners: Address[]; nonce: bigint };

export class SafeNotFoundError extends Error {
  override name = "SafeNotFoundError";
}

export class SafeExecutionError extends Error {
  override name = "SafeExecutionError";
}

/** Reads a Safe's state; throws SafeNotFoundError when there is no contract (or not a Safe) there. */
export async function readSafeState(client: PublicClient, safeAddress: Address): Promise<SafeState> {
  const address = getAddress(safeAddress);
  const code = await client.getCode({ address });
  if (!code || code === "0x") throw new SafeNotFoundError(`No contract at ${address}`);
  const abi = safeAbi();
  try {
    const [version, threshold, owners, nonce] = await Promise.all([
      client.readContract({ address, abi, functionName: "VERSION" }) as Promise<string>,
      client.readContract({ address, abi, functionName: "getThreshold" }) as Promise<bigint>,
      client.readContract({ address, abi, functionName: "getOwners" }) as Promise<readonly Address[]>,
      client.readContract({ address, abi, functionName: "nonce" }) as Promise<bigint>,
    ]);
    return { address, version, threshold: Number(threshold), owners: owners.map((o) => getAddress(o)), nonce };
  } catch (err) {
    throw new SafeNotFoundError(`${address} does not answer as a Safe: ${(err as Error).message.split("\n")[0]}`);
  }
}

type Wallet = WalletClient<Transport, Chain, Account>;

/** The address createProxyWithNonce would give these owners, threshold and salt (no transaction). */
export async function predictSafeAddress(client: PublicClient, args: { owners: readonly Address[]; threshold: number; saltNonce: bigint; from: Address }): Promise<Address> {
  const a = canonicalSafeAddresses();
  const initializer = safeSetupCalldata(safeAbi(), { owners: args.owners, threshold: args.threshold, fallbackHandler: a.CompatibilityFallbackHandler });
  const { result } = await client.simulateContract({
    address: a.SafeProxyFactory,
    abi: proxyFactoryAbi(),
    functionName: "createProxyWithNonce",
    args: [a.Safe, initializer, args.saltNonce],
    account: args.from,
  });
  return getAddress(result as Address);
}

/**
 * Creates (or finds, if already created with the same owners, threshold and salt) a Safe v1.5.0
 * proxy through the canonical SafeProxyFactory. The wallet pays the gas.
 */
export async function deploySafe(client: PublicClient, wallet: Wallet, args: { owners: readonly Address[]; threshold: number; saltNonce: bigint }): Promise<Address> {
  const a = canonicalSafeAddresses();
  const initializer = safeSetupCalldata(safeAbi(), { owners: args.owners, threshold: args.threshold, fallbackHandler: a.CompatibilityFallbackHandler });
  const factoryCode = await client.getCode({ address: a.SafeProxyFactory });
  if (!factoryCode || factoryCode === "0x") throw new SafeNotFoundError(`SafeProxyFactory ${a.SafeProxyFactory} is not deployed on chain ${await client.getChainId()}`);
  const create = { address: a.SafeProxyFactory, abi: proxyFactoryAbi(), functionName: "createProxyWithNonce", args: [a.Safe, initializer, args.saltNonce] } as const;
  const predicted = await predictAlreadyDeployed(client, a.SafeProxyFactory, initializer, args.saltNonce);
  if (predicted) return predicted;
  const { result, request } = await client.simulateContract({ ...create, account: wallet.account });
  const hash = await wallet.writeContract(request as never);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new SafeExecutionError(`Safe creation ${hash} reverted`);
  return getAddress(result as Address);
}

/** CREATE2 address of the proxy, returned only when a contract already lives there. */
async function predictAlreadyDeployed(client: PublicClient, factory: Address, initializer: Hex, saltNonce: bigint): Promise<Address | null> {
  const a = canonicalSafeAddresses();
  const proxyCreationCode = (await client.readContract({ address: factory, abi: proxyFactoryAbi(), functionName: "proxyCreationCode" })) as Hex;
  const salt = keccak256(encodePacked(["bytes32", "uint256"], [keccak256(initializer), saltNonce]));
  const bytecode = encodePacked(["bytes", "uint256"], [proxyCreationCode, BigInt(a.Safe)]);
  const address = getContractAddress({ opcode: "CREATE2", from: factory, salt, bytecode });
  const code = await client.getCode({ address });
  return code && code !== "0x" ? getAddress(address) : null;
}

/**
 * Sends execTransaction with the owners' signatures and waits for the receipt. Resolves with the
 * transaction hash once mined successfully; SafeExecutionError (with the hash when one was sent)
 * otherwise.
 */
export async function sendExecTransaction(
  client: PublicClient,
  wallet: Wallet,
  safeAddress: Address,
  tx: SafeTransactionData,
  signatures: readonly OwnerSignature[],
  onSent?: (hash: Hex) => Promise<void>,
): Promise<Hex> {
  const args = [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, packSignatures(signatures)] as const;
  let request;
  try {
    ({ request } = await client.simulateContract({ address: safeAddress, abi: safeAbi(), functionName: "execTransaction", args, account: wallet.account }));
  } catch (err) {
    throw new SafeExecutionError(`execTransaction would revert: ${shortReason(err)}`);
  }
  const hash = await wallet.writeContract(request as never);
  await onSent?.(hash);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw Object.assign(new SafeExecutionError(`execTransaction ${hash} reverted`), { txHash: hash });
  return hash;
}

function shortReason(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(err)).split("\n")[0]!.slice(0, 300);
}
