import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
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
  // In a Next production build `require.resolve` answers a bundler module id, not a path: read the
  // package from node_modules under the working directory when it is there.
  const direct = path.join(process.cwd(), "node_modules", ARTIFACTS_ROOT, relativePath);
  const file = existsSync(direct) ? direct : require.resolve(`${ARTIFACTS_ROOT}/${relativePath}`);
  const json = JSON.parse(readFileSync(file, "utf8")) as { contractName: string; abi: Abi; bytecode: Hex };
  const artifact = { contractName: json.contractName, abi: json.abi, bytecode: json.bytecode };
  cache.set(relativePath, artifact);
  return artifact;
}
