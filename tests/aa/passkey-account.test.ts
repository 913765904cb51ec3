/**
 * The passkey-owned ERC-4337 account (lib/aa/contracts/PasskeyAccount.sol, seed 003's smartwallet
 * mode) on anvil with the real Alto bundler, as `npm start` sets them up: the factory's counterfactual
 * address, a sponsored first UserOperation that deploys it (signed by a WebAuthn assertion — a software
 * authenticator answering viem's toWebAuthnAccount), and the assertions the account refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { p256 } from "@noble/curves/nist.js";
import { decodeAbiParameters, type Address } from "viem";
import { createBundlerClient } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { passkeyAccountFactoryAbi } from "@/lib/aa/abi";
import { encodeWebAuthnSignature, passkeyCoordinates, toPasskeyAccount } from "@/lib/aa/passkey-account";
import { startAaDevnet, type AaDevnet } from "../helpers/aa-devnet";
import { aaProxyTransports } from "../helpers/aa-proxy";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";
import { PASSKEY_FLAGS, softwarePasskey, type SoftwarePasskey } from "../helpers/software-passkey";

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
  await env?.stop();
});

async function passkeyClient(passkey: SoftwarePasskey, cookie: string) {
  const proxy = await aaProxyTransports(devnet.chainId, cookie);
  const client = publicClientFor(network);
  const account = await toPasskeyAccount({ client, owner: passkey.account, factoryAddress: aa.passkeyFactory, entryPointAddress: aa.entryPoint });
  return { account, bundlerClient: createBundlerClient({ account, client, paymaster: proxy.paymaster, transport: proxy.bundler }) };
}

describe("the passkey account factory", () => {
  it("is deployed by npm start's set-up (CREATE2) and recorded; an account's address follows from the passkey before it exists", async () => {
    const row = await db().network.findUniqueOrThrow({ where: { chainId: devnet.chainId } });
    expect(row.aaPasskeyFactory).toBe(aa.passkeyFactory);
    const c = publicClientFor(network);
    expect(await c.readContract({ address: aa.passkeyFactory, abi: passkeyAccountFactoryAbi, functionName: "entryPoint" })).toBe(aa.entryPoint);
    const a = softwarePasskey();
    const b = softwarePasskey();
    const { qx, qy } = passkeyCoordinates(a.credential.publicKey);
    const addrA = await c.readContract({ address: aa.passkeyFactory, abi: passkeyAccountFactoryAbi, functionName: "getAddress", args: [qx, qy, 0n] });
    const addrB = await c.readContract({ address: aa.passkeyFactory, abi: passkeyAccountFactoryAbi, functionName: "getAddress", args: [...Object.values(passkeyCoordinates(b.credential.publicKey)), 0n] as never });
    expect(addrA).not.toBe(addrB);
    expect(await c.getCode({ address: addrA })).toBeUndefined();
  });
});

describe("a sponsored UserOperation from a passkey account", () => {
  it("deploys the account on its first operation and runs the call, signed by the passkey; the account holds no ETH", async () => {
    const member = await makeUser();
    const passkey = softwarePasskey();
    const { account, bundlerClient } = await passkeyClient(passkey, member.cookie);
    const c = publicClientFor(network);
    const sender = account.address as Address;
    expect(await c.getCode({ address: sender })).toBeUndefined();
    const target = privateKeyToAccount(generatePrivateKey()).address;
    const hash = await bundlerClient.sendUserOperation({ calls: [{ to: target, value: 0n, data: "0xabcd" }] });
    const receipt = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 120_000, pollingInterval: 500 });
    expect(receipt.success).toBe(true);
    expect(receipt.sender).toBe(sender);
    expect(receipt.paymaster?.toLowerCase()).toBe(aa.paymaster.toLowerCase());
    const code = await c.getCode({ address: sender });
    expect(code && code.length > 2).toBe(true);
    expect(await c.getBalance({ address: sender })).toBe(0n);
    // the deployed account is owned by exactly this passkey
    const { qx, qy } = passkeyCoordinates(passkey.credential.publicKey);
    const owner = [{ type: "function", name: "qx", inputs: [], outputs: [{ type: "bytes32" }], stateMutability: "view" }, { type: "function", name: "qy", inputs: [], outputs: [{ type: "bytes32" }], stateMutability: "view" }] as const;
    expect(await c.readContract({ address: sender, abi: owner, functionName: "qx" })).toBe(qx);
    expect(await c.readContract({ address: sender, abi: owner, functionName: "qy" })).toBe(qy);

    // a second operation from the deployed account (no factory): a batch of two calls
    const h2 = await bundlerClient.sendUserOperation({ calls: [{ to: target, value: 0n, data: "0x" }, { to: target, value: 0n, data: "0x01" }] });
    const r2 = await bundlerClient.waitForUserOperationReceipt({ hash: h2, timeout: 120_000, pollingInterval: 500 });
    expect(r2.success).toBe(true);
  }, 300_000);

  it("refuses an assertion by another key, and one without user verification (nothing is sent)", async () => {
    const member = await makeUser();
    const c = publicClientFor(network);

    const stolen = softwarePasskey();
    const { account, bundlerClient } = await passkeyClient(stolen, member.cookie);
    stolen.swapKey();
    await expect(bundlerClient.sendUserOperation({ calls: [{ to: account.address, value: 0n, data: "0x" }] })).rejects.toThrow(/AA24|signature/i);
    expect(await c.getCode({ address: account.address })).toBeUndefined();

    const presentOnly = softwarePasskey({ flags: PASSKEY_FLAGS.UP });
    const second = await passkeyClient(presentOnly, member.cookie);
    await expect(second.bundlerClient.sendUserOperation({ calls: [{ to: second.account.address, value: 0n, data: "0x" }] })).rejects.toThrow(/AA24|signature/i);
    expect(await c.getCode({ address: second.account.address })).toBeUndefined();
  }, 300_000);
});

describe("encodeWebAuthnSignature and passkeyCoordinates (pure)", () => {
  const N = p256.Point.CURVE().n;
  const webauthn = { authenticatorData: `0x${"00".repeat(37)}` as const, clientDataJSON: '{"type":"webauthn.get"}', challengeIndex: 1, typeIndex: 1 };
  const decode = (hex: `0x${string}`) => decodeAbiParameters([{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes" }, { type: "string" }], hex);

  it("normalises a high s to n − s and keeps a low one; lays the fields out as OpenZeppelin's WebAuthnAuth", () => {
    const r = 5n;
    const high = N - 7n;
    const hex = (v: bigint) => v.toString(16).padStart(64, "0");
    const [r1, s1, ci, ti, ad, cd] = decode(encodeWebAuthnSignature({ signature: `0x${hex(r)}${hex(high)}`, webauthn }));
    expect([r1, s1, ci, ti, ad, cd]).toEqual([5n, 7n, 1n, 1n, webauthn.authenticatorData, webauthn.clientDataJSON]);
    const [, s2] = decode(encodeWebAuthnSignature({ signature: `0x${hex(r)}${hex(9n)}`, webauthn }));
    expect(s2).toBe(9n);
    expect(() => encodeWebAuthnSignature({ signature: "0x1234", webauthn })).toThrow(/64 bytes/);
  });

  it("accepts x || y with or without the 04 prefix, refuses anything else", () => {
    const xy = `${"ab".repeat(32)}${"cd".repeat(32)}`;
    expect(passkeyCoordinates(`0x${xy}`)).toEqual({ qx: `0x${"ab".repeat(32)}`, qy: `0x${"cd".repeat(32)}` });
    expect(passkeyCoordinates(`0x04${xy}`)).toEqual(passkeyCoordinates(`0x${xy}`));
    for (const bad of [`0x${xy.slice(2)}`, `0x05${xy}`, `0x${"zz".repeat(64)}`, "0x"]) expect(() => passkeyCoordinates(bad as `0x${string}`)).toThrow(/P-256 public key/);
  });
});
