/**
 * The ERC-4337 v0.7 contracts as published on npm (`@account-abstraction/contracts@0.7.0`, compiled
 * artifacts): the EntryPoint, SimpleAccountFactory and VerifyingPaymaster. Node only (reads
 * node_modules): deployment (`deploy.ts`) and the tests; the app server reads the ABIs in `abi.ts`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";

export type Artifact = { contractName: string; abi: Abi; bytecode: Hex; deployedBytecode: Hex };

export type AaContractName = "EntryPoint" | "SimpleAccountFactory" | "VerifyingPaymaster";

export function aaArtifact(name: AaContractName): Artifact {
  const require = createRequire(import.meta.url);
  const file = require.resolve(`@account-abstraction/contracts/artifacts/${name}.json`);
  const a = JSON.parse(readFileSync(file, "utf8")) as Artifact;
  if (!a.bytecode?.startsWith("0x") || a.bytecode.length < 4) throw new Error(`@account-abstraction/contracts: ${name} has no bytecode`);
  return a;
}
