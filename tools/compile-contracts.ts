/**
 * Compiles the Solidity contracts (lib/identity/contracts, lib/demo/contracts, lib/aa/contracts) with solc-js into lib/generated/contracts/.
 * Runs after `npm install` and before `next build`; `npm start` and the tests compile on demand too
 * (cached by source hash, so this is a file read when nothing changed).
 */
import { compileAgentRegistry } from "@/lib/identity/compile";
import { compileDemoVerifier } from "@/lib/demo/compile";
import { compilePasskeyAccountFactory } from "@/lib/aa/compile";

for (const c of [compileAgentRegistry(), compileDemoVerifier(), compilePasskeyAccountFactory()]) {
  process.stdout.write(`[contracts] ${c.contractName}: ${(c.deployedBytecode.length - 2) / 2} bytes runtime code (${c.compiler})\n`);
}
