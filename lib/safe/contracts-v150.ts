/**
 * The Safe v1.5.0 contract set: where each compiled artifact lives in
 * @safe-global/safe-smart-account and where safe-deployments says it lives on every chain.
 */
import {
  getCompatibilityFallbackHandlerDeployment,
  getCreateCallDeployment,
  getExtensibleFallbackHandlerDeployment,
  getMultiSendCallOnlyDeployment,
  getMultiSendDeployment,
  getProxyFactoryDeployment,
  getSafeL2SingletonDeployment,
  getSafeMigrationDeployment,
  getSafeSingletonDeployment,
  getSafeToL2SetupDeployment,
  getSignMessageLibDeployment,
  getSimulateTxAccessorDeployment,
  getTokenCallbackHandlerDeployment,
  type DeploymentFilter,
  type SingletonDeployment,
} from "@safe-global/safe-deployments";
import { encodeAbiParameters, getAddress, type Address, type Hex } from "viem";
import { CanonicalMismatchError } from "./errors";

export const SAFE_VERSION = "1.5.0";

export const SAFE_CONTRACT_NAMES = [
  "Safe",
  "SafeL2",
  "SafeProxyFactory",
  "MultiSend",
  "MultiSendCallOnly",
  "CreateCall",
  "SignMessageLib",
  "SafeToL2Setup",
  "TokenCallbackHandler",
  "CompatibilityFallbackHandler",
  "ExtensibleFallbackHandler",
  "SimulateTxAccessor",
  // Last: its constructor takes the addresses of Safe, SafeL2 and CompatibilityFallbackHandler.
  "SafeMigration",
] as const;

export type SafeContractName = (typeof SAFE_CONTRACT_NAMES)[number];
export type SafeContractAddresses = Record<SafeContractName, Address>;

export interface SafeContractSpec {
  name: SafeContractName;
  /** Path below build/artifacts/contracts in @safe-global/safe-smart-account. */
  artifactPath: string;
  deployment: (filter: DeploymentFilter) => SingletonDeployment | undefined;
  /** ABI-encoded constructor arguments, given the canonical addresses of the whole set. */
  constructorArgs?: (addresses: SafeContractAddresses) => Hex;
}

export const SAFE_V150_CONTRACTS: readonly SafeContractSpec[] = [
  { name: "Safe", artifactPath: "Safe.sol/Safe.json", deployment: getSafeSingletonDeployment },
  { name: "SafeL2", artifactPath: "SafeL2.sol/SafeL2.json", deployment: getSafeL2SingletonDeployment },
  { name: "SafeProxyFactory", artifactPath: "proxies/SafeProxyFactory.sol/SafeProxyFactory.json", deployment: getProxyFactoryDeployment },
  { name: "MultiSend", artifactPath: "libraries/MultiSend.sol/MultiSend.json", deployment: getMultiSendDeployment },
  { name: "MultiSendCallOnly", artifactPath: "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json", deployment: getMultiSendCallOnlyDeployment },
  { name: "CreateCall", artifactPath: "libraries/CreateCall.sol/CreateCall.json", deployment: getCreateCallDeployment },
  { name: "SignMessageLib", artifactPath: "libraries/SignMessageLib.sol/SignMessageLib.json", deployment: getSignMessageLibDeployment },
  { name: "SafeToL2Setup", artifactPath: "libraries/SafeToL2Setup.sol/SafeToL2Setup.json", deployment: getSafeToL2SetupDeployment },
  { name: "TokenCallbackHandler", artifactPath: "handler/TokenCallbackHandler.sol/TokenCallbackHandler.json", deployment: getTokenCallbackHandlerDeployment },
  {
    name: "CompatibilityFallbackHandler",
    artifactPath: "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json",
    deployment: getCompatibilityFallbackHandlerDeployment,
  },
  {
    name: "ExtensibleFallbackHandler",
    artifactPath: "handler/ExtensibleFallbackHandler.sol/ExtensibleFallbackHandler.json",
    deployment: getExtensibleFallbackHandlerDeployment,
  },
  { name: "SimulateTxAccessor", artifactPath: "accessors/SimulateTxAccessor.sol/SimulateTxAccessor.json", deployment: getSimulateTxAccessorDeployment },
  {
    name: "SafeMigration",
    artifactPath: "libraries/SafeMigration.sol/SafeMigration.json",
    deployment: getSafeMigrationDeployment,
    constructorArgs: (a) =>
      encodeAbiParameters([{ type: "address" }, { type: "address" }, { type: "address" }], [a.Safe, a.SafeL2, a.CompatibilityFallbackHandler]),
  },
];

export interface CanonicalDeployment {
  address: Address;
  /** keccak256 of the deployed runtime code. */
  codeHash: Hex;
}

/** The canonical (chain-independent, CREATE2 via the singleton factory) deployment of a 1.5.0 contract. */
export function canonicalDeployment(spec: SafeContractSpec): CanonicalDeployment {
  const deployment = spec.deployment({ version: SAFE_VERSION, released: true });
  const canonical = deployment?.deployments.canonical;
  if (!deployment || deployment.version !== SAFE_VERSION || !canonical) {
    throw new CanonicalMismatchError(`safe-deployments has no canonical ${spec.name} ${SAFE_VERSION} deployment`);
  }
  return { address: getAddress(canonical.address), codeHash: canonical.codeHash as Hex };
}

/** Canonical 1.5.0 addresses from safe-deployments, without touching a chain. */
export function canonicalSafeAddresses(): SafeContractAddresses {
  return Object.fromEntries(SAFE_V150_CONTRACTS.map((spec) => [spec.name, canonicalDeployment(spec).address])) as SafeContractAddresses;
}
