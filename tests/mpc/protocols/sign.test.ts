import { beforeAll, describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, hexToBytes, randomBytes } from "@noble/hashes/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { recoverAddress, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { q } from "@/lib/mpc/curve";
import { dealCoreShares } from "@/lib/mpc/dealer";
import { decodeKeyShare, encodeKeyShare, type KeyShare } from "@/lib/mpc/key-share";
import { FAST_TEST } from "@/lib/mpc/params";
import { startSign, stepSign, type EcdsaSignature, type SignState } from "@/lib/mpc/sign";
import { combine, dealtAux, randomSid, runKeygenProtocol } from "./fixtures";
import { runParties } from "./harness";

function signWith(shares: readonly KeyShare[], signers: number[], messageHash: string, roundTrip = false) {
  const sid = randomSid();
  const starts = signers.map((i) => startSign({ share: shares[i]!, signers, messageHash, sid, profile: FAST_TEST }));
  return runParties<SignState, EcdsaSignature>(starts, stepSign, { roundTrip });
}

function uncompressed(pkHex: string): Hex {
  return `0x${secp256k1.Point.fromHex(pkHex).toHex(false)}` as Hex;
}

async function checkSignature(sig: EcdsaSignature, expectedPk: string): Promise<void> {
  const r = BigInt("0x" + sig.r);
  const s = BigInt("0x" + sig.s);
  expect(s <= (q - 1n) / 2n).toBe(true);
  const hash = hexToBytes(sig.messageHash);
  const compact = new secp256k1.Signature(r, s).toBytes("compact");
  expect(secp256k1.verify(compact, hash, hexToBytes(expectedPk), { prehash: false })).toBe(true);
  const recovered = new secp256k1.Signature(r, s).addRecoveryBit(sig.v).recoverPublicKey(hash);
  expect(recovered.toHex(true)).toBe(expectedPk);
  const address = await recoverAddress({
    hash: `0x${sig.messageHash}`,
    signature: { r: `0x${sig.r}`, s: `0x${sig.s}`, yParity: sig.v },
  });
  expect(address).toBe(publicKeyToAddress(uncompressed(expectedPk)));
}

describe("interactive signing (presign + sign)", () => {
  let shares2of3: KeyShare[];

  beforeAll(() => {
    shares2of3 = combine(runKeygenProtocol(3, 2), dealtAux(3));
  });

  it.each([
    [[0, 1]],
    [[0, 2]],
    [[1, 2]],
  ])("2-of-3 keygen output signs with pair %j (state JSON round-trip every round)", async (signers) => {
    const messageHash = bytesToHex(keccak_256(randomBytes(40)));
    const { outputs, aborts } = signWith(shares2of3, signers, messageHash, true);
    expect(aborts.size).toBe(0);
    expect(outputs.size).toBe(2);
    const [a, b] = [...outputs.values()];
    expect(a).toEqual(b);
    await checkSignature(a!, shares2of3[0]!.core.publicKey);
  });

  it.each([
    [3, 3],
    [2, 2],
  ] as const)("%i-of-%i keygen output signs (echo round only with more than two signers)", async (t, n) => {
    const shares = combine(runKeygenProtocol(n, t), dealtAux(n));
    const signers = Array.from({ length: t }, (_, k) => k);
    const messageHash = bytesToHex(keccak_256(randomBytes(8)));
    const { outputs, aborts, transcript } = signWith(shares, signers, messageHash);
    expect(aborts.size).toBe(0);
    expect(outputs.size).toBe(t);
    expect(Math.max(...transcript.map((m) => m.round))).toBe(t > 2 ? 5 : 4);
    await checkSignature([...outputs.values()][0]!, shares[0]!.core.publicKey);
  });

  it("known vector: dealt secret key 1 recovers 0x7E5F…5Bdf", async () => {
    const shares = combine(dealCoreShares({ secret: 1n, threshold: 2, n: 3 }), dealtAux(3));
    const messageHash = bytesToHex(keccak_256(new TextEncoder().encode("countersign known vector")));
    const { outputs } = signWith(shares, [0, 2], messageHash);
    const sig = outputs.get(0)!;
    const address = await recoverAddress({
      hash: `0x${messageHash}`,
      signature: { r: `0x${sig.r}`, s: `0x${sig.s}`, yParity: sig.v },
    });
    expect(address).toBe("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  });

  it("key shares survive the JSON codec and still sign", async () => {
    const restored = shares2of3.map((s) => decodeKeyShare(encodeKeyShare(s), FAST_TEST));
    const messageHash = bytesToHex(keccak_256(randomBytes(4)));
    const { outputs } = signWith(restored, [1, 2], messageHash);
    await checkSignature(outputs.get(1)!, shares2of3[0]!.core.publicKey);
  });
});
