/**
 * Compiles the agent identity registry (and lib/demo's demo verifier) with solc-js (the `solc` npm package) and OpenZeppelin 5
 * (`@openzeppelin/contracts-v5`, an npm alias: the project's tests still use 4.9's prebuilt ERC-20
 * artifacts). Node only: used by `npm start`, `tools/compile-contracts.ts` (postinstall/build) and
 * the tests, never by the app server (which reads the contract through `abi.ts`).
 *
 * The result is cached in lib/generated/contracts/, keyed by a hash of every source file and the
 * compiler version, so a changed contract recompiles and an unchanged one costs a file read.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Abi, Hex } from "viem";

export interface CompiledContract {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
  compiler: string;
  sourceHash: string;
}

const OZ_PREFIX = "@openzeppelin/contracts/";
const OZ_DIR = "node_modules/@openzeppelin/contracts-v5/";
/** ERC-4337 v0.7's sources (the passkey account builds on its BaseAccount); they import OpenZeppelin 5 too. */
const AA_PREFIX = "@account-abstraction/contracts/";

type SolcOutput = {
  errors?: Array<{ severity: string; formattedMessage: string }>;
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
};

function root(): string {
  return process.cwd();
}

function resolveImport(p: string): string {
  if (p.startsWith(OZ_PREFIX)) return path.join(root(), OZ_DIR, p.slice(OZ_PREFIX.length));
  if (p.startsWith(AA_PREFIX)) return path.join(root(), "node_modules", p);
  return path.join(root(), p);
}

/** Every source the contract imports (transitively), read from disk. */
function collectSources(sourceFile: string): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  const visit = (unit: string) => {
    if (sources[unit]) return;
    const content = readFileSync(resolveImport(unit), "utf8");
    sources[unit] = { content };
    for (const m of content.matchAll(/^\s*import\s+(?:\{[^}]*\}\s+from\s+)?"([^"]+)"/gm)) {
      const spec = m[1]!;
      const target = spec.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(unit), spec)) : spec;
      visit(target);
    }
  };
  visit(sourceFile);
  return sources;
}

function cacheFile(contract: string): string {
  return path.join(root(), "lib", "generated", "contracts", `${contract}.json`);
}

/** Compiles (or reads the cached compilation of) the registry. */
export function compileAgentRegistry(): CompiledContract {
  return compileContract("lib/identity/contracts/AgentIdentityRegistry.sol", "AgentIdentityRegistry");
}

/** Compiles (or reads the cached compilation of) contract `CONTRACT` of the Solidity file `SOURCE_FILE` (a path from the project root). */
export function compileContract(SOURCE_FILE: string, CONTRACT: string): CompiledContract {
  const require = createRequire(import.meta.url);
  const solcVersion = (JSON.parse(readFileSync(path.join(root(), "node_modules/solc/package.json"), "utf8")) as { version: string }).version;
  const sources = collectSources(SOURCE_FILE);
  const h = createHash("sha256").update(`solc ${solcVersion}\n`);
  for (const k of Object.keys(sources).sort()) h.update(`${k}\n${sources[k]!.content}\n`);
  const sourceHash = h.digest("hex");

  const file = cacheFile(CONTRACT);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, "utf8")) as CompiledContract;
    if (cached.sourceHash === sourceHash) return cached;
  }

  const solc = require("solc") as { compile(input: string): string; version(): string };
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { [SOURCE_FILE]: { [CONTRACT]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join("\n")}`);
  const c = out.contracts?.[SOURCE_FILE]?.[CONTRACT];
  if (!c) throw new Error(`solc produced no ${CONTRACT}`);
  const compiled: CompiledContract = {
    contractName: CONTRACT,
    abi: c.abi,
    bytecode: `0x${c.evm.bytecode.object}`,
    deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
    compiler: solc.version(),
    sourceHash,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(compiled));
  return compiled;
}
