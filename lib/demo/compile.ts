/**
 * Compiles the demo verifier (contracts/AgentDemoVerifier.sol) with solc-js, cached like the
 * identity registry (lib/identity/compile.ts). Node only: `npm start`, tools/compile-contracts.ts
 * and the tests; the app reads the contract through `verifier-abi.ts`.
 */
import { compileContract, type CompiledContract } from "@/lib/identity/compile";

export function compileDemoVerifier(): CompiledContract {
  return compileContract("lib/demo/contracts/AgentDemoVerifier.sol", "AgentDemoVerifier");
}
