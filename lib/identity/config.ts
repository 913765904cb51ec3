/**
 * Pure: the identity chains an instance is configured with. Celo (42220) and Celo Sepolia
 * (11142220) become network-registry entries when their RPC URL is set, with the registry address
 * from configuration; until then their queries answer 503 "Service not configured" (no Celo node is
 * reachable from here). The seed's `network: "mainnet" | "testnet"` maps to the configured chain,
 * and to the local devnet where neither is configured.
 */
import { getAddress, isAddress, type Address } from "viem";
import { networkSchema, type Network } from "@/lib/chain/networks";
import { CELO_MAINNET_CHAIN_ID, CELO_SEPOLIA_CHAIN_ID, type IdentityNetwork } from "./model";

/** Reads CELO_RPC_URL, CELO_IDENTITY_REGISTRY, CELO_SEPOLIA_RPC_URL, CELO_SEPOLIA_IDENTITY_REGISTRY. */
export type IdentityEnv = Record<string, string | undefined>;

export type ConfiguredIdentityChain = { network: Network; registry: Address | null };

function registryOf(name: string, v: string | undefined): Address | null {
  if (!v) return null;
  if (!isAddress(v, { strict: false })) throw new Error(`${name}: not an EVM address`);
  return getAddress(v);
}

/** The Celo networks configured in `env` (none when their RPC URL is unset). Throws naming a bad variable. */
export function celoNetworksFrom(env: IdentityEnv): ConfiguredIdentityChain[] {
  const out: ConfiguredIdentityChain[] = [];
  const celo = { name: "Celo", symbol: "CELO", decimals: 18 };
  const add = (chainId: number, name: string, rpc: [string, string | undefined], registry: [string, string | undefined], explorerUrl: string) => {
    const [rpcVar, rpcUrl] = rpc;
    if (!rpcUrl) return;
    const parsed = networkSchema.safeParse({ chainId, name, rpcUrl, explorerUrl, nativeCurrency: celo, enabled: true, isDevnet: false });
    if (!parsed.success) throw new Error(`${rpcVar}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    out.push({ network: parsed.data, registry: registryOf(registry[0], registry[1]) });
  };
  add(CELO_MAINNET_CHAIN_ID, "Celo", ["CELO_RPC_URL", env.CELO_RPC_URL], ["CELO_IDENTITY_REGISTRY", env.CELO_IDENTITY_REGISTRY], "https://celoscan.io");
  add(CELO_SEPOLIA_CHAIN_ID, "Celo Sepolia", ["CELO_SEPOLIA_RPC_URL", env.CELO_SEPOLIA_RPC_URL], ["CELO_SEPOLIA_IDENTITY_REGISTRY", env.CELO_SEPOLIA_IDENTITY_REGISTRY], "https://celo-sepolia.blockscout.com");
  return out;
}

/** Chains the seed names that this instance may not have configured: their queries answer 503, not 400. */
export const SEED_IDENTITY_CHAINS: readonly number[] = [CELO_MAINNET_CHAIN_ID, CELO_SEPOLIA_CHAIN_ID];

/**
 * The chain a seed `network` selects: the Celo chain when the instance has a registry there, else
 * the local devnet's (when it has one), else null (→ 503 "Service not configured").
 */
export function chainIdForNetwork(label: IdentityNetwork, withRegistry: readonly { chainId: number; isDevnet: boolean }[]): number | null {
  const celo = label === "mainnet" ? CELO_MAINNET_CHAIN_ID : CELO_SEPOLIA_CHAIN_ID;
  if (withRegistry.some((n) => n.chainId === celo)) return celo;
  return withRegistry.find((n) => n.isDevnet)?.chainId ?? null;
}
