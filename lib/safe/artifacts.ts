import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";

export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  /** Creation bytecode, without constructor arguments. */
  bytecode: Hex;
}

const ARTIFACTS_ROOT = "@safe-global/safe-smart-account/build/artifacts/contracts";
const require = createRequire(import.meta.url);
const cache = new Map<string, ContractArtifact>();

/** Loads a compiled Safe contract (hardhat artifact) shipped in @safe-global/safe-smart-account. */
export function loadSafeArtifact(relativePath: string): ContractArtifact {
  const cached = cache.get(relativePath);
  if (cached) return cached;
  const file = require.resolve(`${ARTIFACTS_ROOT}/${relativePath}`);
  const json = JSON.parse(readFileSync(file, "utf8")) as { contractName: string; abi: Abi; bytecode: Hex };
  const artifact = { contractName: json.contractName, abi: json.abi, bytecode: json.bytecode };
  cache.set(relativePath, artifact);
  return artifact;
}
