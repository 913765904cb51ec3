/**
 * Compiles the passkey account factory (contracts/PasskeyAccount.sol) with solc-js, cached like the
 * identity registry (lib/identity/compile.ts). Node only: `npm start`, tools/compile-contracts.ts and
 * the tests; the app reads the factory through `abi.ts` and its address from the network registry.
 */
import { compileContract, type CompiledContract } from "@/lib/identity/compile";

export function compilePasskeyAccountFactory(): CompiledContract {
  return compileContract("lib/aa/contracts/PasskeyAccount.sol", "PasskeyAccountFactory");
}
