import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { DEV_MNEMONIC, deriveDevAccounts } from "@/lib/chain/dev-accounts";
import { DevnetStartError } from "@/lib/chain/errors";
import { foundry } from "viem/chains";

// Published by Foundry/Hardhat for DEV_MNEMONIC; asserting them pins the derivation path.
const WELL_KNOWN_ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const WELL_KNOWN_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

describe("startDevnet", () => {
  let devnet: Devnet;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    devnet = await startDevnet();
    cleanups.push(() => devnet.stop());
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("answers on a free loopback port with chain id 31337 and funded dev accounts", async () => {
    expect(devnet.rpcUrl).toBe(`http://127.0.0.1:${devnet.port}`);
    expect(devnet.port).toBeGreaterThan(0);
    const client = createPublicClient({ transport: http(devnet.rpcUrl) });
    expect(await client.getChainId()).toBe(31337);

    const first = devnet.fundedAccounts[0];
    expect(first?.address).toBe(WELL_KNOWN_ACCOUNT_0);
    expect(first?.privateKey).toBe(WELL_KNOWN_KEY_0);
    expect(devnet.fundedAccounts).toHaveLength(10);
    for (const account of devnet.fundedAccounts) {
      expect(privateKeyToAccount(account.privateKey).address).toBe(account.address);
      expect(await client.getBalance({ address: account.address })).toBe(parseEther("10000"));
    }
  });

  it("lets a funded account's private key send a transaction", async () => {
    const funded = devnet.fundedAccounts[1]!;
    const wallet = createWalletClient({
      account: privateKeyToAccount(funded.privateKey),
      chain: { ...foundry, rpcUrls: { default: { http: [devnet.rpcUrl] } } },
      transport: http(devnet.rpcUrl),
    });
    const client = createPublicClient({ transport: http(devnet.rpcUrl) });
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const hash = await wallet.sendTransaction({ to: recipient, value: parseEther("1.5") });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(await client.getBalance({ address: recipient })).toBe(parseEther("1.5"));
  });

  it("uses a custom chain id and mnemonic", async () => {
    const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const custom = await startDevnet({ chainId: 1337, mnemonic, accountCount: 2, accountBalanceEth: 7 });
    cleanups.push(() => custom.stop());
    const client = createPublicClient({ transport: http(custom.rpcUrl) });
    expect(await client.getChainId()).toBe(1337);
    expect(custom.fundedAccounts.map((a) => a.address)).toEqual(deriveDevAccounts(mnemonic, 2).map((a) => a.address));
    expect(custom.fundedAccounts[0]?.address).not.toBe(deriveDevAccounts(DEV_MNEMONIC, 1)[0]?.address);
    expect(await client.getBalance({ address: custom.fundedAccounts[0]!.address })).toBe(parseEther("7"));
  });

  it("fails with anvil's stderr when the requested port is taken", async () => {
    const error = await startDevnet({ port: devnet.port, startupTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevnetStartError);
    expect((error as DevnetStartError).stderr).toMatch(/address already in use/i);
    expect((error as DevnetStartError).message).toMatch(/anvil exited during startup/);
    // the original devnet is unaffected
    expect(await createPublicClient({ transport: http(devnet.rpcUrl) }).getChainId()).toBe(31337);
  });

  it("gives up with a DevnetStartError when the startup budget is spent", async () => {
    const error = await startDevnet({ startupTimeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevnetStartError);
    expect((error as DevnetStartError).message).toMatch(/did not answer eth_chainId/);
  });

  it("reports anvil's complaint about a corrupt state file", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "countersign-devnet-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    writeFileSync(join(dataDir, "anvil-state.json"), "{ not json");
    const error = await startDevnet({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevnetStartError);
    expect((error as DevnetStartError).message).toMatch(/failed to parse json/i);
  });

  it("stop() ends the process and is idempotent", async () => {
    const temporary = await startDevnet();
    await temporary.stop();
    await temporary.stop();
    expect(temporary.process.exitCode !== null || temporary.process.signalCode !== null).toBe(true);
    await expect(fetch(temporary.rpcUrl, { method: "POST" })).rejects.toThrow();
  });

  it("persists balances across a restart when given a data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "countersign-devnet-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const recipient: Address = privateKeyToAccount(generatePrivateKey()).address;

    const first = await startDevnet({ dataDir });
    const firstClient = createPublicClient({ transport: http(first.rpcUrl) });
    const wallet = createWalletClient({
      account: privateKeyToAccount(first.fundedAccounts[0]!.privateKey),
      chain: { ...foundry, rpcUrls: { default: { http: [first.rpcUrl] } } },
      transport: http(first.rpcUrl),
    });
    await firstClient.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: recipient, value: 123_456_789n }),
    });
    const blockBefore = await firstClient.getBlockNumber();
    await first.stop();
    expect(first.stateFile).toBe(join(dataDir, "anvil-state.json"));
    expect(existsSync(first.stateFile!)).toBe(true);

    const second = await startDevnet({ dataDir });
    cleanups.push(() => second.stop());
    const secondClient = createPublicClient({ transport: http(second.rpcUrl) });
    expect(await secondClient.getBalance({ address: recipient })).toBe(123_456_789n);
    expect(await secondClient.getBlockNumber()).toBe(blockBefore);

    // Control: a devnet without the data dir starts from genesis.
    const fresh = await startDevnet();
    cleanups.push(() => fresh.stop());
    expect(await createPublicClient({ transport: http(fresh.rpcUrl) }).getBalance({ address: recipient })).toBe(0n);
  });
});
