import { z } from "zod";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const nativeCurrencySchema = z.object({
  name: z.string().min(1).max(64),
  symbol: z.string().min(1).max(16),
  decimals: z.number().int().min(0).max(36),
});

/** A network the app can send transactions on, as stored in the network registry. */
export const networkSchema = z.object({
  chainId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  name: z.string().trim().min(1).max(100),
  rpcUrl: httpUrl,
  explorerUrl: httpUrl.optional(),
  nativeCurrency: nativeCurrencySchema,
  enabled: z.boolean(),
  isDevnet: z.boolean(),
});

export type Network = z.infer<typeof networkSchema>;

export const LOCAL_DEVNET_CHAIN_ID = 31337;
export const LOCAL_DEVNET_DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** The registry's default entry: the local anvil devnet started by `npm start`, enabled out of the box. */
export function localDevnetNetwork(rpcUrl: string = LOCAL_DEVNET_DEFAULT_RPC_URL, chainId: number = LOCAL_DEVNET_CHAIN_ID): Network {
  return networkSchema.parse({
    chainId,
    name: "Local devnet",
    rpcUrl,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    enabled: true,
    isDevnet: true,
  });
}

export const DEFAULT_NETWORKS: readonly Network[] = Object.freeze([localDevnetNetwork()]);

/** The environment `npm start` (tools/start.ts) sets up for the devnet it launches. */
export interface DevnetEnvironment {
  DEVNET_RPC_URL?: string | undefined;
  DEVNET_CHAIN_ID?: string | undefined;
  COUNTERSIGN_DEVNET?: string | undefined;
}

/**
 * The default registry for this process: the devnet entry points at the RPC URL and chain id
 * actually started (the port may differ from 8545), and is disabled when the devnet was turned
 * off without an external one being configured.
 */
export function defaultNetworksFor(env: DevnetEnvironment): Network[] {
  const chainId = env.DEVNET_CHAIN_ID ? Number(env.DEVNET_CHAIN_ID) : LOCAL_DEVNET_CHAIN_ID;
  const devnet = localDevnetNetwork(env.DEVNET_RPC_URL ?? LOCAL_DEVNET_DEFAULT_RPC_URL, chainId);
  const turnedOff = env.COUNTERSIGN_DEVNET === "off" && !env.DEVNET_RPC_URL;
  return [{ ...devnet, enabled: !turnedOff }];
}

/** The viem chain definition for a stored network. */
export function chainFor(network: Network): Chain {
  return defineChain({
    id: network.chainId,
    name: network.name,
    nativeCurrency: network.nativeCurrency,
    rpcUrls: { default: { http: [network.rpcUrl] } },
    ...(network.explorerUrl ? { blockExplorers: { default: { name: "Explorer", url: network.explorerUrl } } } : {}),
    testnet: network.isDevnet,
  });
}

type NetworkPublicClient = PublicClient<Transport, Chain>;
type NetworkWalletClient = WalletClient<Transport, Chain, Account>;

const publicClients = new Map<string, NetworkPublicClient>();
const walletClients = new Map<string, NetworkWalletClient>();

// viem polls every 4 s by default (sized for 12 s blocks); a devnet mines instantly.
function pollingIntervalFor(network: Network): number {
  return network.isDevnet ? 200 : 4_000;
}

// A client is bound to its chain definition, so the key carries the chain id as well as the URL.
function clientKey(network: Network): string {
  return `${network.chainId}@${network.rpcUrl}`;
}

/** A cached read client for the network's RPC endpoint. */
export function publicClientFor(network: Network): NetworkPublicClient {
  const key = clientKey(network);
  let client = publicClients.get(key);
  if (!client) {
    client = createPublicClient({
      chain: chainFor(network),
      transport: http(network.rpcUrl),
      pollingInterval: pollingIntervalFor(network),
    });
    publicClients.set(key, client);
  }
  return client;
}

/** A cached wallet client for `account` on the network (a local or custom account signs; a json-rpc account uses the node's unlocked key). */
export function walletClientFor(network: Network, account: Account): NetworkWalletClient {
  const key = `${clientKey(network)}#${account.type}:${account.address.toLowerCase()}`;
  let client = walletClients.get(key);
  if (!client || client.account !== account) {
    client = createWalletClient({
      account,
      chain: chainFor(network),
      transport: http(network.rpcUrl),
      pollingInterval: pollingIntervalFor(network),
    });
    walletClients.set(key, client);
  }
  return client;
}
