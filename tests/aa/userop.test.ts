/**
 * A sponsored ERC-4337 UserOperation end to end, as `npm start` sets it up: anvil, the EntryPoint
 * v0.7 / SimpleAccountFactory / VerifyingPaymaster deployed (setUpDevnetAa), the real Alto bundler
 * as a child process, and viem's account-abstraction client talking to the app's /api/aa/bundler and
 * /api/aa/paymaster route handlers (in-process) with a proxy token. The smart account holds no ETH:
 * the paymaster pays, and the budget of the token's organization is charged — the operation's
 * maximum while pending, then what the EntryPoint took (lib/aa/settle.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberToHex, parseEther, type Address } from "viem";
import { createBundlerClient } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { resetEnvCache } from "@/lib/config/env";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { entryPointAbi } from "@/lib/aa/abi";
import { setUpDevnetAa } from "@/lib/aa/deploy";
import { paymasterSigner } from "@/lib/aa/paymaster-key";
import { BudgetExhaustedError, PAYMASTER_POST_OP_GAS, PAYMASTER_VERIFICATION_GAS, paymasterRpc, spentWei } from "@/lib/aa/paymaster";
import { maxOperationCost } from "@/lib/aa/model";
import { housekeeping } from "@/lib/ops/housekeeping";
import { toSimpleAccountV07 } from "@/lib/aa/simple-account";
import { POST as token } from "@/app/api/aa/token/route";
import { POST as paymasterRoute } from "@/app/api/aa/paymaster/route";
import { startAaDevnet, type AaDevnet } from "../helpers/aa-devnet";
import { aaProxyTransports } from "../helpers/aa-proxy";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser, ORIGIN } from "../helpers/http";

useTestDatabase();

let devnet: Devnet;
let network: Network;
let aa: AaDevnet["aa"];
let env: AaDevnet;

beforeAll(async () => {
  env = await startAaDevnet();
  ({ devnet, network, aa } = env);
}, 240_000);

afterAll(async () => {
  delete process.env.AA_SPONSOR_BUDGET_WEI;
  await env?.stop();
});

async function clients(cookie?: string) {
  const proxy = await aaProxyTransports(devnet.chainId, cookie);
  const client = publicClientFor(network);
  const owner = privateKeyToAccount(generatePrivateKey());
  const account = await toSimpleAccountV07({ client, owner, factoryAddress: aa.accountFactory, entryPointAddress: aa.entryPoint });
  const bundlerClient = createBundlerClient({ account, client, paymaster: proxy.paymaster, transport: proxy.bundler });
  return { account, bundlerClient, owner };
}

describe("npm start's ERC-4337 set-up", () => {
  it("deploys the EntryPoint v0.7 at its canonical address, the factory and a funded, staked paymaster signed by the server's key; records them; reuses them", async () => {
    expect(aa.entryPoint).toBe("0x0000000071727De22E5E9d8BAf0edAc6f37da032");
    const row = await db().network.findUniqueOrThrow({ where: { chainId: devnet.chainId } });
    expect({ entryPoint: row.aaEntryPoint, accountFactory: row.aaAccountFactory, paymaster: row.aaPaymaster }).toEqual({ entryPoint: aa.entryPoint, accountFactory: aa.accountFactory, paymaster: aa.paymaster });
    const c = publicClientFor(network);
    const info = await c.readContract({ address: aa.entryPoint, abi: entryPointAbi, functionName: "getDepositInfo", args: [aa.paymaster] });
    expect(info.staked).toBe(true);
    expect(info.deposit).toBeGreaterThanOrEqual(parseEther("50"));
    const signer = await c.readContract({ address: aa.paymaster, abi: [{ type: "function", name: "verifyingSigner", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" }] as const, functionName: "verifyingSigner" });
    expect(signer).toBe((await paymasterSigner()).address);
    const again = await setUpDevnetAa(db(), network, privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey));
    expect(again).toEqual({ ...aa, paymasterDeployed: false });
  });
});

describe("a sponsored UserOperation through /api/aa/bundler and /api/aa/paymaster", () => {
  it("deploys the counterfactual account and runs its call, paid by the paymaster, and charges the organization's budget", async () => {
    const member = await makeUser();
    const { account, bundlerClient } = await clients(member.cookie);
    const c = publicClientFor(network);
    const sender = account.address as Address;
    expect(await c.getCode({ address: sender })).toBeUndefined();
    expect(await c.getBalance({ address: sender })).toBe(0n);
    const depositBefore = await c.readContract({ address: aa.entryPoint, abi: entryPointAbi, functionName: "balanceOf", args: [aa.paymaster] });

    const target = privateKeyToAccount(generatePrivateKey()).address;
    const hash = await bundlerClient.sendUserOperation({ calls: [{ to: target, value: 0n, data: "0x1234" }] });
    const receipt = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 120_000, pollingInterval: 500 });
    expect(receipt.success).toBe(true);
    expect(receipt.paymaster?.toLowerCase()).toBe(aa.paymaster.toLowerCase());
    expect(receipt.receipt.status).toBe("success");
    const code = await c.getCode({ address: sender });
    expect(code && code.length > 2).toBe(true);
    expect(await c.getBalance({ address: sender })).toBe(0n);
    const depositAfter = await c.readContract({ address: aa.entryPoint, abi: entryPointAbi, functionName: "balanceOf", args: [aa.paymaster] });
    expect(depositAfter).toBe(depositBefore - receipt.actualGasCost);

    const rows = await db().aaSponsorship.findMany({ where: { organizationId: member.organizationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sender).toBe(sender);
    expect(BigInt(rows[0]!.maxCostWei.toFixed(0))).toBeGreaterThanOrEqual(receipt.actualGasCost);

    // a second operation from the now deployed account (no factory this time), sponsored again
    const hash2 = await bundlerClient.sendUserOperation({ calls: [{ to: target, value: 0n, data: "0x" }] });
    const r2 = await bundlerClient.waitForUserOperationReceipt({ hash: hash2, timeout: 120_000, pollingInterval: 500 });
    expect(r2.success).toBe(true);
    expect(r2.sender).toBe(sender);
    expect(await db().aaSponsorship.count({ where: { organizationId: member.organizationId } })).toBe(2);
  }, 300_000);

  it("refuses to sponsor beyond the organization's budget (a JSON-RPC error; nothing is sent)", async () => {
    process.env.AA_SPONSOR_BUDGET_WEI = "1000";
    resetEnvCache();
    try {
      const member = await makeUser();
      const { bundlerClient, account } = await clients(member.cookie);
      await expect(bundlerClient.sendUserOperation({ calls: [{ to: account.address, value: 0n, data: "0x" }] })).rejects.toThrow(/Sponsorship budget exhausted/);
      expect(await db().aaSponsorship.count({ where: { organizationId: member.organizationId } })).toBe(0);
    } finally {
      delete process.env.AA_SPONSOR_BUDGET_WEI;
      resetEnvCache();
    }
  }, 120_000);

  it("the local paymaster refuses an operation for another EntryPoint", async () => {
    const t = await call(token, "POST", "/api/aa/token", { query: { chainId: String(devnet.chainId) }, headers: { origin: ORIGIN }, clientIp: "192.0.2.11" });
    const op = { sender: privateKeyToAccount(generatePrivateKey()).address, nonce: "0x0", callData: "0x", callGasLimit: "0x1", verificationGasLimit: "0x1", preVerificationGas: "0x1", maxFeePerGas: "0x1", maxPriorityFeePerGas: "0x1", signature: "0x" };
    const r = await call(paymasterRoute, "POST", "/api/aa/paymaster", {
      query: { chainId: String(devnet.chainId) },
      headers: { origin: ORIGIN, "x-aa-proxy-token": t.json.token },
      body: { jsonrpc: "2.0", id: 1, method: "pm_getPaymasterData", params: [op, "0x5FF137D4b0FDCD49DcA30c7CF57E578a026d2789", `0x${devnet.chainId.toString(16)}`, {}] },
    });
    expect(r.status).toBe(200);
    expect(r.json.error.message).toMatch(/Unsupported EntryPoint/);
    const chainId = await call(paymasterRoute, "POST", "/api/aa/paymaster", { query: { chainId: String(devnet.chainId) }, headers: { origin: ORIGIN, "x-aa-proxy-token": t.json.token }, body: { jsonrpc: "2.0", id: 2, method: "eth_chainId", params: [] } });
    expect(chainId.json.result).toBe(`0x${devnet.chainId.toString(16)}`);
  });
});

describe("settling sponsorships to what the EntryPoint charged", () => {
  it("a mined operation is charged its actualGasCost (below the reserved maximum), before a budget check and by housekeeping; an expired unused reservation is released; a live one stays reserved", async () => {
    const member = await makeUser();
    const org = member.organizationId;
    const { bundlerClient } = await clients(member.cookie);
    const target = privateKeyToAccount(generatePrivateKey()).address;
    const hash = await bundlerClient.sendUserOperation({ calls: [{ to: target, value: 0n, data: "0x" }] });
    const receipt = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 120_000, pollingInterval: 500 });
    expect(receipt.success).toBe(true);
    const [mined] = await db().aaSponsorship.findMany({ where: { organizationId: org } });
    const maxCost = BigInt(mined!.maxCostWei.toFixed(0));
    expect(receipt.actualGasCost).toBeLessThan(maxCost);
    // Pending until settled: counted at its maximum.
    expect(mined!.actualCostWei).toBeNull();
    expect(await spentWei(db(), org, devnet.chainId)).toBe(maxCost);

    // A sponsorship whose maximum fits only once the mined one counts at its actual cost.
    const pm = { chainId: devnet.chainId, entryPoint: aa.entryPoint, paymaster: aa.paymaster };
    const gas = { callGasLimit: 100_000n, verificationGasLimit: 100_000n, preVerificationGas: 50_000n, maxFeePerGas: 1_000_000_000n };
    const op = (sender: Address) => ({ sender, nonce: "0x0", callData: "0x", ...Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, numberToHex(v)])), maxPriorityFeePerGas: "0x1", signature: "0x" });
    const cost = maxOperationCost({ ...gas, paymasterVerificationGasLimit: PAYMASTER_VERIFICATION_GAS, paymasterPostOpGasLimit: PAYMASTER_POST_OP_GAS });
    const budget = receipt.actualGasCost + cost;
    const live = privateKeyToAccount(generatePrivateKey()).address;
    const params = (sender: Address) => [op(sender), aa.entryPoint, numberToHex(devnet.chainId), {}];
    // With room in the budget a request does not read the chain: the mined one stays pending.
    await paymasterRpc({ db: db(), pm, organizationId: org, budget: parseEther("1"), client: publicClientFor(network) }, "pm_getPaymasterStubData", params(live).slice(0, 3));
    expect((await db().aaSponsorship.findUniqueOrThrow({ where: { id: mined!.id } })).actualCostWei).toBeNull();
    // Without the chain's RPC nothing can settle: the maximum still counts, and the budget is exhausted.
    await expect(paymasterRpc({ db: db(), pm, organizationId: org, budget }, "pm_getPaymasterData", params(live))).rejects.toBeInstanceOf(BudgetExhaustedError);
    await paymasterRpc({ db: db(), pm, organizationId: org, budget, client: publicClientFor(network) }, "pm_getPaymasterData", params(live));
    const settled = await db().aaSponsorship.findUniqueOrThrow({ where: { id: mined!.id } });
    expect(BigInt(settled.actualCostWei!.toFixed(0))).toBe(receipt.actualGasCost);
    expect(settled.userOpHash).toBe(hash);
    expect(await spentWei(db(), org, devnet.chainId)).toBe(budget);

    // A reservation signed an hour ago (valid 10 minutes) whose operation never ran.
    const expired = privateKeyToAccount(generatePrivateKey()).address;
    await paymasterRpc({ db: db(), pm, organizationId: org, budget: parseEther("1"), now: Date.now() - 3_600_000 }, "pm_getPaymasterData", params(expired));
    expect(await spentWei(db(), org, devnet.chainId)).toBe(budget + cost);

    const pass = await housekeeping(db());
    expect(pass.aaSponsorshipsSettled).toBeGreaterThanOrEqual(1);
    const rows = await db().aaSponsorship.findMany({ where: { organizationId: org } });
    const bySender = new Map(rows.map((r) => [r.sender, r]));
    expect(bySender.get(expired)!.actualCostWei?.toFixed(0)).toBe("0");
    expect(bySender.get(expired)!.userOpHash).toBeNull();
    expect(bySender.get(live)!.actualCostWei).toBeNull();
    expect(BigInt(bySender.get(settled.sender)!.actualCostWei!.toFixed(0))).toBe(receipt.actualGasCost);
    expect(await spentWei(db(), org, devnet.chainId)).toBe(receipt.actualGasCost + cost);
    // Settled once: a second pass changes nothing of this organization's.
    await housekeeping(db());
    expect(await spentWei(db(), org, devnet.chainId)).toBe(receipt.actualGasCost + cost);
  }, 300_000);
});
