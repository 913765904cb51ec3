import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keccak256, parseEther, parseSignature, hexToBigInt, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { localDevnetNetwork, publicClientFor } from "@/lib/chain/networks";
import {
  attachSignature,
  broadcastAndWait,
  buildEip1559Tx,
  normalizeSignature,
  recoverSender,
  recoverYParity,
  serializeUnsigned,
  signingHash,
  type UnsignedEip1559Tx,
} from "@/lib/chain/tx";
import { ChainIdMismatchError, InvalidSignatureError, TransactionRevertedError } from "@/lib/chain/errors";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const sampleTx: UnsignedEip1559Tx = {
  chainId: 31337,
  nonce: 7,
  to: "0x000000000000000000000000000000000000dEaD",
  value: 1234n,
  data: "0xabcdef",
  gas: 50_000n,
  maxFeePerGas: 3_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
  accessList: [],
};

describe("tx codec (pure)", () => {
  const account = privateKeyToAccount(generatePrivateKey());

  it("serializes an EIP-1559 payload and hashes it", () => {
    const unsigned = serializeUnsigned(sampleTx);
    expect(unsigned.startsWith("0x02")).toBe(true);
    expect(signingHash(sampleTx)).toBe(keccak256(unsigned));
    expect(signingHash({ ...sampleTx, nonce: 8 })).not.toBe(signingHash(sampleTx));
  });

  it("attaching a signature over signingHash gives the same bytes viem's own signer produces", async () => {
    const signature = parseSignature(await account.sign({ hash: signingHash(sampleTx) }));
    const signed = attachSignature(sampleTx, { r: signature.r, s: signature.s, yParity: signature.yParity! });
    expect(signed).toBe(await account.signTransaction({ type: "eip1559", ...sampleTx }));
    expect(await recoverSender(signed)).toBe(account.address);
  });

  it("canonicalises a high-s signature by mirroring s and flipping parity", async () => {
    const signature = parseSignature(await account.sign({ hash: signingHash(sampleTx) }));
    const lowS = attachSignature(sampleTx, { r: signature.r, s: signature.s, yParity: signature.yParity! });
    const highS = { r: hexToBigInt(signature.r), s: N - hexToBigInt(signature.s), yParity: 1 - signature.yParity! };
    expect(highS.s > N / 2n).toBe(true);
    expect(attachSignature(sampleTx, highS)).toBe(lowS);
    expect(normalizeSignature(highS).s).toBe(signature.s);
  });

  it("rejects out-of-range scalars and parities", () => {
    expect(() => attachSignature(sampleTx, { r: 1n, s: 0n, yParity: 0 })).toThrow(InvalidSignatureError);
    expect(() => attachSignature(sampleTx, { r: N, s: 1n, yParity: 0 })).toThrow(InvalidSignatureError);
    expect(() => attachSignature(sampleTx, { r: 1n, s: 1n, yParity: 2 })).toThrow(InvalidSignatureError);
  });

  it("recovers the parity of a signature that came without one", async () => {
    const hash = signingHash(sampleTx);
    const signature = parseSignature(await account.sign({ hash }));
    expect(await recoverYParity(hash, signature, account.address)).toBe(signature.yParity);
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    await expect(recoverYParity(hash, signature, stranger)).rejects.toThrow(InvalidSignatureError);
  });
});

describe("tx over RPC", () => {
  let devnet: Devnet;

  beforeAll(async () => {
    devnet = await startDevnet();
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  it("builds from the node, signs the signingHash externally, broadcasts and confirms", async () => {
    const client = publicClientFor(localDevnetNetwork(devnet.rpcUrl));
    const sender = privateKeyToAccount(devnet.fundedAccounts[2]!.privateKey);
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const startNonce = await client.getTransactionCount({ address: sender.address });

    const tx = await buildEip1559Tx(client, { from: sender.address, to: recipient, value: parseEther("0.5") });
    expect(tx.chainId).toBe(31337);
    expect(tx.nonce).toBe(startNonce);
    expect(tx.gas).toBeGreaterThanOrEqual(21_000n);
    expect(tx.maxFeePerGas).toBeGreaterThanOrEqual(tx.maxPriorityFeePerGas);

    const signature = parseSignature(await sender.sign({ hash: signingHash(tx) }));
    const signed = attachSignature(tx, { r: signature.r, s: signature.s, yParity: signature.yParity! });
    expect(await recoverSender(signed)).toBe(sender.address);

    const receipt = await broadcastAndWait(client, signed);
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(sender.address.toLowerCase());
    expect(await client.getBalance({ address: recipient })).toBe(parseEther("0.5"));
    const mined = await client.getTransaction({ hash: receipt.transactionHash });
    expect(mined.from.toLowerCase()).toBe(sender.address.toLowerCase());

    const next = await buildEip1559Tx(client, { from: sender.address, to: recipient });
    expect(next.nonce).toBe(startNonce + 1);
  });

  it("refuses to build when the node serves a different chain than the network says", async () => {
    const wrong = publicClientFor({ ...localDevnetNetwork(devnet.rpcUrl), chainId: 1 });
    const from = devnet.fundedAccounts[0]!.address;
    await expect(buildEip1559Tx(wrong, { from, to: from })).rejects.toBeInstanceOf(ChainIdMismatchError);
  });

  it("raises TransactionRevertedError for a mined transaction that reverted", async () => {
    const client = publicClientFor(localDevnetNetwork(devnet.rpcUrl));
    const sender = privateKeyToAccount(devnet.fundedAccounts[3]!.privateKey);
    // Contract creation whose init code is PUSH1 0 PUSH1 0 REVERT.
    const revertingInitCode: Hex = "0x60006000fd";
    const tx = await buildEip1559Tx(client, { from: sender.address, to: null, data: revertingInitCode }, { gas: 100_000n });
    expect(tx.to).toBeNull();
    expect(tx.gas).toBe(100_000n);
    const signature = parseSignature(await sender.sign({ hash: signingHash(tx) }));
    const signed = attachSignature(tx, { r: signature.r, s: signature.s, yParity: signature.yParity! });
    await expect(broadcastAndWait(client, signed)).rejects.toBeInstanceOf(TransactionRevertedError);
    // The nonce was consumed: the revert happened on chain, not at submission.
    expect(await client.getTransactionCount({ address: sender.address })).toBe(tx.nonce + 1);
  });
});
