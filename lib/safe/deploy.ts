/**
 * Puts the Safe v1.5.0 contracts on a chain at their canonical addresses: the singleton factory
 * from its presigned transaction, then every contract CREATE2'd through it with a zero salt.
 * Idempotent: contracts whose canonical address already has the expected code are skipped.
 */
import {
  concat,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  isAddressEqual,
  keccak256,
  type Account,
  type Address,
  type Chain,
  type Transport,
  type WalletClient,
  type Hex,
  type PublicClient,
} from "viem";
import { loadSafeArtifact } from "./artifacts";
import {
  SAFE_V150_CONTRACTS,
  canonicalDeployment,
  canonicalSafeAddresses,
  type SafeContractAddresses,
  type SafeContractName,
  type SafeContractSpec,
} from "./contracts-v150";
import { CanonicalMismatchError, SafeDeploymentError } from "./errors";
import {
  SINGLETON_FACTORY_ADDRESS,
  create2Address,
  ensureSingletonFactory,
  factoryCalldata,
  hasPresignedFactoryTransaction,
  injectSingletonFactory,
  singletonFactoryFor,
} from "./singleton-factory";

export type SafeDeployEvent =
  /** "injected": no presigned tx for this chain id, so the code was set with anvil_setCode (devnets only). */
  | { kind: "factory"; status: "deployed" | "present" | "injected"; address: Address }
  | { kind: "contract"; status: "deployed" | "present"; name: SafeContractName; address: Address };

export interface DeploySafeOptions {
  /**
   * Pays gas for the CREATE2 transactions and tops up the factory's keyless signer.
   * Default: the node's first unlocked account (eth_accounts[0]), as on anvil.
   */
  funder?: Account;
  onProgress?: (event: SafeDeployEvent) => void;
}

const RECEIPT_POLL_MS = 250;

export { canonicalSafeAddresses, SAFE_CONTRACT_NAMES, SAFE_VERSION, type SafeContractAddresses, type SafeContractName } from "./contracts-v150";

/** Deploys (or confirms) the Safe v1.5.0 contract set and returns its addresses. */
export async function deploySafeContracts(rpcUrl: string, options: DeploySafeOptions = {}): Promise<SafeContractAddresses> {
  // Short polling: this mostly runs against a devnet that mines instantly.
  const client: PublicClient = createPublicClient({ transport: http(rpcUrl), pollingInterval: RECEIPT_POLL_MS });
  const chainId = await client.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // Resolved on first use, so a fully deployed chain needs no funder at all.
  let wallet: WalletClient<Transport, Chain, Account> | undefined;
  const send = async (to: Address, value: bigint, data?: Hex): Promise<Hex> => {
    wallet ??= createWalletClient({ account: options.funder ?? (await nodeAccount(rpcUrl)), chain, transport: http(rpcUrl) });
    const hash = await wallet.sendTransaction({ to, value, ...(data ? { data } : {}) });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new SafeDeploymentError(`transaction ${hash} to ${to} reverted`);
    return hash;
  };

  let factoryAddress: Address;
  if (hasPresignedFactoryTransaction(chainId)) {
    const factory = await singletonFactoryFor(chainId);
    const deployed = await ensureSingletonFactory(client, factory, async (to, value) => {
      await send(to, value);
    });
    factoryAddress = factory.address;
    options.onProgress?.({ kind: "factory", status: deployed ? "deployed" : "present", address: factoryAddress });
  } else {
    const alreadyThere = await codeAt(client, SINGLETON_FACTORY_ADDRESS);
    factoryAddress = await injectSingletonFactory(client, rpcUrl, chainId);
    options.onProgress?.({ kind: "factory", status: alreadyThere ? "present" : "injected", address: factoryAddress });
  }

  const addresses = canonicalSafeAddresses();

  for (const spec of SAFE_V150_CONTRACTS) {
    const expected = canonicalDeployment(spec);
    const initCode = initCodeFor(spec, addresses);
    const predicted = create2Address(factoryAddress, initCode);
    if (!isAddressEqual(predicted, expected.address)) {
      throw new CanonicalMismatchError(`${spec.name} artifact would deploy to ${predicted}, canonical is ${expected.address}`);
    }
    let status: "deployed" | "present" = "present";
    if (!(await codeAt(client, expected.address))) {
      await send(factoryAddress, 0n, factoryCalldata(initCode));
      status = "deployed";
    }
    const code = await codeAt(client, expected.address);
    if (!code || keccak256(code) !== expected.codeHash.toLowerCase()) {
      throw new CanonicalMismatchError(`${spec.name} at ${expected.address} does not have the canonical ${expected.codeHash} runtime code`);
    }
    options.onProgress?.({ kind: "contract", status, name: spec.name, address: expected.address });
  }
  return addresses;
}

function initCodeFor(spec: SafeContractSpec, addresses: SafeContractAddresses): Hex {
  const { bytecode } = loadSafeArtifact(spec.artifactPath);
  return spec.constructorArgs ? concat([bytecode, spec.constructorArgs(addresses)]) : bytecode;
}

async function codeAt(client: PublicClient, address: Address): Promise<Hex | undefined> {
  const code = await client.getCode({ address });
  return code && code !== "0x" ? code : undefined;
}

async function nodeAccount(rpcUrl: string): Promise<Address> {
  const [first] = await createWalletClient({ transport: http(rpcUrl) }).getAddresses();
  if (!first) throw new SafeDeploymentError("the node has no unlocked account to pay for deployment; pass options.funder");
  return first;
}
