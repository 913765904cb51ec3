import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAFE_TX_TYPES } from "@/lib/safe/transaction";
import {
  concat,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  hashTypedData,
  http,
  parseEther,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { canonicalSafeAddresses, deploySafeContracts, SAFE_CONTRACT_NAMES, type SafeContractAddresses, type SafeDeployEvent } from "@/lib/safe/deploy";
import { loadSafeArtifact } from "@/lib/safe/artifacts";
import { UnsupportedChainError } from "@/lib/safe/errors";
import { hasPresignedFactoryTransaction, SINGLETON_FACTORY_ADDRESS } from "@/lib/safe/singleton-factory";

// Published canonical Safe v1.5.0 addresses (safe-global/safe-deployments), pinned independently.
const PUBLISHED = {
  Safe: "0xFf51A5898e281Db6DfC7855790607438dF2ca44b",
  SafeL2: "0xEdd160fEBBD92E350D4D398fb636302fccd67C7e",
  SafeProxyFactory: "0x14F2982D601c9458F93bd70B218933A6f8165e7b",
  MultiSend: "0x218543288004CD07832472D464648173c77D7eB7",
  MultiSendCallOnly: "0xA83c336B20401Af773B6219BA5027174338D1836",
  CompatibilityFallbackHandler: "0x3EfCBb83A4A7AfcB4F68D501E2c2203a38be77f4",
  SafeMigration: "0x6439e7ABD8Bb915A5263094784C5CF561c4172AC",
} as const;

const safeAbi = loadSafeArtifact("Safe.sol/Safe.json").abi;
const factoryAbi = loadSafeArtifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json").abi;


describe("deploySafeContracts", () => {
  let devnet: Devnet;
  let client: PublicClient;
  let addresses: SafeContractAddresses;
  const firstRun: SafeDeployEvent[] = [];

  beforeAll(async () => {
    devnet = await startDevnet();
    client = createPublicClient({ transport: http(devnet.rpcUrl) });
    addresses = await deploySafeContracts(devnet.rpcUrl, { onProgress: (e) => firstRun.push(e) });
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  it("deploys the factory and every 1.5.0 contract at its canonical address", async () => {
    expect(addresses).toEqual(canonicalSafeAddresses());
    expect(addresses).toMatchObject(PUBLISHED);
    expect(Object.keys(addresses).sort()).toEqual([...SAFE_CONTRACT_NAMES].sort());
    expect(firstRun[0]).toEqual({ kind: "factory", status: "deployed", address: "0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7" });
    expect(firstRun.filter((e) => e.kind === "contract" && e.status === "deployed")).toHaveLength(SAFE_CONTRACT_NAMES.length);
    for (const address of Object.values(addresses)) {
      const code = await client.getCode({ address });
      expect(code && code.length > 2).toBe(true);
    }
    expect(await client.readContract({ address: addresses.Safe, abi: safeAbi, functionName: "VERSION" })).toBe("1.5.0");
  });

  it("is a no-op the second time", async () => {
    const blockBefore = await client.getBlockNumber();
    const events: SafeDeployEvent[] = [];
    const again = await deploySafeContracts(devnet.rpcUrl, { onProgress: (e) => events.push(e) });
    expect(again).toEqual(addresses);
    expect(await client.getBlockNumber()).toBe(blockBefore);
    expect(events).toHaveLength(SAFE_CONTRACT_NAMES.length + 1);
    expect(events.every((e) => e.status === "present")).toBe(true);
  });

  it("needs no funder when everything is already deployed", async () => {
    const proxy = await startRpcProxy(devnet.rpcUrl, /^(eth_accounts|eth_sendTransaction|eth_sendRawTransaction)$/);
    try {
      expect(await deploySafeContracts(proxy.url)).toEqual(addresses);
    } finally {
      await proxy.close();
    }
  });

  it("creates a 2-of-2 Safe that moves ETH only with both owner signatures", async () => {
    const chain = defineChain({
      id: devnet.chainId,
      name: "devnet",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [devnet.rpcUrl] } },
    });
    const executor = createWalletClient({
      account: privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey),
      chain,
      transport: http(devnet.rpcUrl),
    });
    const owners = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())].sort((a, b) =>
      a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1,
    );

    const initializer = encodeSetup(owners.map((o) => o.address), 2n, addresses.CompatibilityFallbackHandler);
    const saltNonce = BigInt(Date.now());
    const { result: safeAddress, request } = await client.simulateContract({
      account: executor.account,
      address: addresses.SafeProxyFactory,
      abi: factoryAbi,
      functionName: "createProxyWithNonce",
      args: [addresses.Safe, initializer, saltNonce],
    });
    const createReceipt = await client.waitForTransactionReceipt({ hash: await executor.writeContract(request) });
    expect(createReceipt.status).toBe("success");
    const safe = safeAddress as Address;
    expect(await client.readContract({ address: safe, abi: safeAbi, functionName: "getOwners" })).toEqual(owners.map((o) => o.address));
    expect(await client.readContract({ address: safe, abi: safeAbi, functionName: "getThreshold" })).toBe(2n);

    await client.waitForTransactionReceipt({ hash: await executor.sendTransaction({ to: safe, value: parseEther("1") }) });
    expect(await client.getBalance({ address: safe })).toBe(parseEther("1"));

    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const safeTx = {
      to: recipient,
      value: parseEther("0.25"),
      data: "0x" as Hex,
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: zeroAddress,
      refundReceiver: zeroAddress,
      nonce: 0n,
    };
    const domain = { chainId: devnet.chainId, verifyingContract: safe };
    const sign = (owner: PrivateKeyAccount) => owner.signTypedData({ domain, types: SAFE_TX_TYPES, primaryType: "SafeTx", message: safeTx });
    const execArgs = (signatures: Hex) =>
      [safeTx.to, safeTx.value, safeTx.data, safeTx.operation, safeTx.safeTxGas, safeTx.baseGas, safeTx.gasPrice, safeTx.gasToken, safeTx.refundReceiver, signatures] as const;

    // Our EIP-712 hash equals the Safe's own.
    const onChainHash = await client.readContract({
      address: safe,
      abi: safeAbi,
      functionName: "getTransactionHash",
      args: [safeTx.to, safeTx.value, safeTx.data, safeTx.operation, safeTx.safeTxGas, safeTx.baseGas, safeTx.gasPrice, safeTx.gasToken, safeTx.refundReceiver, safeTx.nonce],
    });
    expect(onChainHash).toBe(hashTypedData({ domain, types: SAFE_TX_TYPES, primaryType: "SafeTx", message: safeTx }));

    // One signature of two is rejected (GS020: signatures data too short).
    const oneSignature = await sign(owners[0]!);
    await expect(
      client.simulateContract({ account: executor.account, address: safe, abi: safeAbi, functionName: "execTransaction", args: execArgs(oneSignature) }),
    ).rejects.toThrow(/GS020/);

    const signatures = concat([oneSignature, await sign(owners[1]!)]);
    const { request: execRequest } = await client.simulateContract({
      account: executor.account,
      address: safe,
      abi: safeAbi,
      functionName: "execTransaction",
      args: execArgs(signatures),
    });
    const execReceipt = await client.waitForTransactionReceipt({ hash: await executor.writeContract(execRequest) });
    expect(execReceipt.status).toBe("success");
    expect(await client.getBalance({ address: recipient })).toBe(parseEther("0.25"));
    expect(await client.getBalance({ address: safe })).toBe(parseEther("0.75"));
    expect(await client.readContract({ address: safe, abi: safeAbi, functionName: "nonce" })).toBe(1n);
  });

  it("keeps the contracts across a restart of a devnet with a data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "countersign-safe-"));
    try {
      const first = await startDevnet({ dataDir });
      await deploySafeContracts(first.rpcUrl);
      await first.stop();
      const second = await startDevnet({ dataDir });
      try {
        const events: SafeDeployEvent[] = [];
        expect(await deploySafeContracts(second.rpcUrl, { onProgress: (e) => events.push(e) })).toEqual(addresses);
        expect(events.every((e) => e.status === "present")).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("pays with an explicit funder account", async () => {
    const other = await startDevnet({ chainId: 1337 });
    try {
      const funder = privateKeyToAccount(other.fundedAccounts[4]!.privateKey);
      const otherClient = createPublicClient({ transport: http(other.rpcUrl) });
      const before = await otherClient.getBalance({ address: funder.address });
      expect(await deploySafeContracts(other.rpcUrl, { funder })).toEqual(addresses);
      expect(await otherClient.getBalance({ address: funder.address })).toBeLessThan(before);
      // one top-up of the factory signer plus one CREATE2 per contract
      expect(await otherClient.getTransactionCount({ address: funder.address })).toBe(SAFE_CONTRACT_NAMES.length + 1);
    } finally {
      await other.stop();
    }
  });

  it("injects the factory on a devnet whose chain id has no presigned transaction", async () => {
    expect(hasPresignedFactoryTransaction(424242)).toBe(false);
    const custom = await startDevnet({ chainId: 424242 });
    try {
      const events: SafeDeployEvent[] = [];
      expect(await deploySafeContracts(custom.rpcUrl, { onProgress: (e) => events.push(e) })).toEqual(addresses);
      expect(events[0]).toEqual({ kind: "factory", status: "injected", address: SINGLETON_FACTORY_ADDRESS });
      const customClient = createPublicClient({ transport: http(custom.rpcUrl) });
      expect(await customClient.getCode({ address: SINGLETON_FACTORY_ADDRESS })).toBe(await client.getCode({ address: SINGLETON_FACTORY_ADDRESS }));
      const again: SafeDeployEvent[] = [];
      await deploySafeContracts(custom.rpcUrl, { onProgress: (e) => again.push(e) });
      expect(again.every((e) => e.status === "present")).toBe(true);
    } finally {
      await custom.stop();
    }
  });

  it("refuses such a chain when the node has no dev methods (as on a real network)", async () => {
    const custom = await startDevnet({ chainId: 424243 });
    const proxy = await startRpcProxy(custom.rpcUrl, /^(anvil|hardhat|evm)_/);
    try {
      await expect(deploySafeContracts(proxy.url)).rejects.toBeInstanceOf(UnsupportedChainError);
      const customClient = createPublicClient({ transport: http(custom.rpcUrl) });
      expect(await customClient.getCode({ address: SINGLETON_FACTORY_ADDRESS })).toBeUndefined();
    } finally {
      await proxy.close();
      await custom.stop();
    }
  });
});

/** Forwards JSON-RPC to `target` but answers methods matching `blocked` with "method not found". */
async function startRpcProxy(target: string, blocked: RegExp): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const request = JSON.parse(body) as { id: unknown; method: string };
    res.setHeader("content-type", "application/json");
    if (blocked.test(request.method)) {
      res.end(JSON.stringify({ jsonrpc: "2.0", id: request.id, error: { code: -32601, message: "the method does not exist" } }));
      return;
    }
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    res.end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

function encodeSetup(owners: Address[], threshold: bigint, fallbackHandler: Address): Hex {
  return encodeFunctionData({
    abi: safeAbi,
    functionName: "setup",
    args: [owners, threshold, zeroAddress, "0x", fallbackHandler, zeroAddress, 0n, zeroAddress],
  });
}
