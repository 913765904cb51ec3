/**
 * The Safe singleton factory: a minimal CREATE2 deployer put on each chain by a presigned
 * transaction from a keyless signer, so that it (and everything CREATE2'd through it) has the
 * same address everywhere.
 */
import { getSingletonFactoryInfo } from "@safe-global/safe-singleton-factory";
import {
  concat,
  createTestClient,
  getAddress,
  http,
  getContractAddress,
  isAddressEqual,
  parseTransaction,
  recoverTransactionAddress,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionSerializedLegacy,
} from "viem";
import { CanonicalMismatchError, SafeDeploymentError, UnsupportedChainError } from "./errors";

/** Same on every chain: the first contract created by the factory's keyless signer. */
export const SINGLETON_FACTORY_ADDRESS: Address = "0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7";

/** CREATE2 salt used for the canonical Safe deployments. */
export const ZERO_SALT: Hex = `0x${"00".repeat(32)}`;

export interface SingletonFactory {
  address: Address;
  signerAddress: Address;
  /** Ether the keyless signer must hold to pay for its presigned transaction. */
  requiredSignerBalance: bigint;
  presignedTransaction: TransactionSerializedLegacy;
}

/**
 * The factory's address and init code are the same on every chain; only the presigned
 * transaction's EIP-155 signature differs. This artifact is the reference for chains without one.
 */
const REFERENCE_CHAIN_ID = 31337;

export function hasPresignedFactoryTransaction(chainId: number): boolean {
  return getSingletonFactoryInfo(chainId) !== undefined;
}

/** Reads and checks the factory artifact for `chainId` (artifacts/<chainId>/deployment.json). */
export async function singletonFactoryFor(chainId: number): Promise<SingletonFactory> {
  const info = getSingletonFactoryInfo(chainId);
  if (!info) throw new UnsupportedChainError(chainId);
  const signerAddress = getAddress(info.signerAddress);
  const address = getAddress(info.address);
  const presignedTransaction = info.transaction as TransactionSerializedLegacy;
  // The factory is the signer's first contract creation; both facts are checked rather than trusted.
  if (!isAddressEqual(address, SINGLETON_FACTORY_ADDRESS) || !isAddressEqual(getContractAddress({ from: signerAddress, nonce: 0n }), address)) {
    throw new CanonicalMismatchError(`singleton factory ${address} is not the first CREATE of ${signerAddress}`);
  }
  const recovered = await recoverTransactionAddress({ serializedTransaction: presignedTransaction });
  if (!isAddressEqual(recovered, signerAddress)) {
    throw new CanonicalMismatchError(`presigned factory transaction recovers to ${recovered}, expected ${signerAddress}`);
  }
  return {
    address,
    signerAddress,
    requiredSignerBalance: BigInt(info.gasPrice) * BigInt(info.gasLimit),
    presignedTransaction,
  };
}

/** The address the factory will give `initCode` with `salt`. */
export function create2Address(factory: Address, initCode: Hex, salt: Hex = ZERO_SALT): Address {
  return getContractAddress({ opcode: "CREATE2", from: factory, salt, bytecode: initCode });
}

/** Calldata for the factory: it takes the salt followed by the init code, no selector. */
export function factoryCalldata(initCode: Hex, salt: Hex = ZERO_SALT): Hex {
  return concat([salt, initCode]);
}

export type FundAccount = (to: Address, value: bigint) => Promise<void>;

/**
 * Makes sure the factory has code on the chain: tops up the keyless signer if needed, then
 * broadcasts the presigned transaction. Returns true if it was deployed by this call.
 */
export async function ensureSingletonFactory(client: PublicClient, factory: SingletonFactory, fund: FundAccount): Promise<boolean> {
  if (await hasCode(client, factory.address)) return false;
  const nonce = await client.getTransactionCount({ address: factory.signerAddress });
  if (nonce !== 0) {
    throw new SafeDeploymentError(`factory signer ${factory.signerAddress} already used nonce 0 but the factory has no code`);
  }
  const balance = await client.getBalance({ address: factory.signerAddress });
  if (balance < factory.requiredSignerBalance) await fund(factory.signerAddress, factory.requiredSignerBalance - balance);
  const hash = await client.sendRawTransaction({ serializedTransaction: factory.presignedTransaction });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !(await hasCode(client, factory.address))) {
    throw new SafeDeploymentError(`singleton factory deployment ${hash} did not leave code at ${factory.address}`);
  }
  return true;
}

/**
 * Devnet fallback for chain ids without a presigned transaction (e.g. a devnet started with a
 * custom chain id): computes the factory's runtime code by executing its init code in an
 * eth_call, then writes it to the canonical address with `anvil_setCode`. Contracts CREATE2'd
 * through it still land at their canonical addresses. Fails with UnsupportedChainError on
 * nodes without that dev method, i.e. real networks.
 */
export async function injectSingletonFactory(client: PublicClient, rpcUrl: string, chainId: number): Promise<Address> {
  const reference = getSingletonFactoryInfo(REFERENCE_CHAIN_ID);
  if (!reference) throw new UnsupportedChainError(chainId);
  const address = SINGLETON_FACTORY_ADDRESS;
  if (await hasCode(client, address)) return address;
  const initCode = parseTransaction(reference.transaction as TransactionSerializedLegacy).data;
  if (!initCode) throw new SafeDeploymentError("reference singleton factory transaction has no init code");
  const { data: runtimeCode } = await client.call({ data: initCode });
  if (!runtimeCode || runtimeCode === "0x") throw new SafeDeploymentError("singleton factory init code returned no runtime code");
  try {
    await createTestClient({ mode: "anvil", transport: http(rpcUrl) }).setCode({ address, bytecode: runtimeCode });
  } catch (cause) {
    throw new UnsupportedChainError(chainId, { cause });
  }
  if (!(await hasCode(client, address))) throw new UnsupportedChainError(chainId);
  return address;
}

export async function hasCode(client: PublicClient, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}
