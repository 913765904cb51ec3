import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import {
  DEFAULT_NETWORKS,
  chainFor,
  defaultNetworksFor,
  localDevnetNetwork,
  networkSchema,
  publicClientFor,
  walletClientFor,
  type Network,
} from "@/lib/chain/networks";

const mainnetLike: Network = {
  chainId: 1,
  name: "Ethereum",
  rpcUrl: "https://rpc.example.org",
  explorerUrl: "https://etherscan.io",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  enabled: false,
  isDevnet: false,
};

describe("network registry model", () => {
  it("ships the local devnet as the enabled default", () => {
    expect(DEFAULT_NETWORKS).toHaveLength(1);
    expect(DEFAULT_NETWORKS[0]).toEqual({
      chainId: 31337,
      name: "Local devnet",
      rpcUrl: "http://127.0.0.1:8545",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      enabled: true,
      isDevnet: true,
    });
  });

  it("points the default devnet entry at the devnet actually started", () => {
    expect(defaultNetworksFor({})).toEqual([...DEFAULT_NETWORKS]);
    const [started] = defaultNetworksFor({ DEVNET_RPC_URL: "http://127.0.0.1:40123", DEVNET_CHAIN_ID: "1337" });
    expect(started).toMatchObject({ rpcUrl: "http://127.0.0.1:40123", chainId: 1337, enabled: true, isDevnet: true });
    expect(defaultNetworksFor({ COUNTERSIGN_DEVNET: "off" })[0]?.enabled).toBe(false);
    expect(defaultNetworksFor({ COUNTERSIGN_DEVNET: "off", DEVNET_RPC_URL: "http://127.0.0.1:9545" })[0]?.enabled).toBe(true);
    expect(() => defaultNetworksFor({ DEVNET_CHAIN_ID: "abc" })).toThrow();
  });

  it("accepts a complete network and rejects malformed ones", () => {
    expect(networkSchema.parse(mainnetLike)).toEqual(mainnetLike);
    const bad: Array<Record<string, unknown>> = [
      { ...mainnetLike, rpcUrl: "ftp://rpc.example.org" },
      { ...mainnetLike, rpcUrl: "not a url" },
      { ...mainnetLike, explorerUrl: "javascript:alert(1)" },
      { ...mainnetLike, chainId: 0 },
      { ...mainnetLike, chainId: 1.5 },
      { ...mainnetLike, name: "   " },
      { ...mainnetLike, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: -1 } },
      { ...mainnetLike, enabled: "yes" },
    ];
    for (const candidate of bad) expect(networkSchema.safeParse(candidate).success, JSON.stringify(candidate)).toBe(false);
    const { isDevnet: _omitted, ...missingField } = mainnetLike;
    expect(networkSchema.safeParse(missingField).success).toBe(false);
  });

  it("maps a network onto a viem chain", () => {
    const chain = chainFor(mainnetLike);
    expect(chain.id).toBe(1);
    expect(chain.rpcUrls.default.http).toEqual(["https://rpc.example.org"]);
    expect(chain.blockExplorers?.default.url).toBe("https://etherscan.io");
    expect(chainFor(localDevnetNetwork()).blockExplorers).toBeUndefined();
  });
});

describe("client factories", () => {
  let devnet: Devnet;
  let network: Network;

  beforeAll(async () => {
    devnet = await startDevnet();
    network = localDevnetNetwork(devnet.rpcUrl);
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  it("caches one public client per endpoint and talks to the devnet", async () => {
    const client = publicClientFor(network);
    expect(publicClientFor({ ...network })).toBe(client);
    expect(publicClientFor({ ...network, rpcUrl: `http://localhost:${devnet.port}` })).not.toBe(client);
    expect(publicClientFor({ ...network, chainId: 1 })).not.toBe(client);
    expect(client.chain.id).toBe(31337);
    expect(await client.getChainId()).toBe(31337);
  });

  it("wallet clients are cached per account and send with a local key", async () => {
    const funded = privateKeyToAccount(devnet.fundedAccounts[5]!.privateKey);
    const wallet = walletClientFor(network, funded);
    expect(walletClientFor(network, funded)).toBe(wallet);
    const other = privateKeyToAccount(generatePrivateKey());
    expect(walletClientFor(network, other)).not.toBe(wallet);

    const hash = await wallet.sendTransaction({ to: other.address, value: parseEther("2") });
    const receipt = await publicClientFor(network).waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(await publicClientFor(network).getBalance({ address: other.address })).toBe(parseEther("2"));
  });
});
