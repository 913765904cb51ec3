/**
 * Isomorphic: viem's SmartAccount for lib/aa/contracts/PasskeyAccount.sol — an ERC-4337 v0.7 account
 * owned by a passkey. The owner is a viem `WebAuthnAccount` (`toWebAuthnAccount`: the browser's
 * navigator.credentials, or any signer producing WebAuthn assertions); its assertion over the
 * userOpHash is encoded as OpenZeppelin's `WebAuthn.WebAuthnAuth` fields, which the contract decodes.
 */
import { encodeAbiParameters, encodeFunctionData, hexToBigInt, size, slice, type Address, type Hex } from "viem";
import type { SmartAccountImplementation, WebAuthnAccount } from "viem/account-abstraction";
import { readContract } from "viem/actions";
import { passkeyAccountFactoryAbi } from "./abi";
import { toFactoryAccount } from "./factory-account";

/** What a WebAuthn assertion gives (viem's WebAuthnAccount `sign` result). */
export type WebAuthnAssertion = {
  signature: Hex;
  webauthn: { authenticatorData: Hex; clientDataJSON: string; challengeIndex?: number; typeIndex?: number };
};

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** `abi.encode(r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON)`: OpenZeppelin's WebAuthn.tryDecodeAuth layout. Normalises s to the low half (the contract refuses high s). */
export function encodeWebAuthnSignature({ signature, webauthn }: WebAuthnAssertion): Hex {
  if (size(signature) < 64) throw new Error("A P-256 signature is r || s (64 bytes)");
  const r = hexToBigInt(slice(signature, 0, 32));
  let s = hexToBigInt(slice(signature, 32, 64));
  if (s > P256_N / 2n) s = P256_N - s;
  return encodeAbiParameters(
    [{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes" }, { type: "string" }],
    [r, s, BigInt(webauthn.challengeIndex ?? 0), BigInt(webauthn.typeIndex ?? 0), webauthn.authenticatorData, webauthn.clientDataJSON],
  );
}

/**
 * A stub that decodes and runs the whole verification (type, challenge, flags, P-256) before failing,
 * so gas estimation costs what a real signature costs: the authenticator data has UP and UV set and the
 * client data names a 32-byte challenge.
 */
const STUB_SIGNATURE = encodeWebAuthnSignature({
  signature: `0x${"11".repeat(32)}${"22".repeat(32)}`,
  webauthn: {
    authenticatorData: `0x${"49".repeat(32)}0500000000`,
    clientDataJSON: `{"type":"webauthn.get","challenge":"${"A".repeat(43)}","origin":"https://localhost","crossOrigin":false}`,
    challengeIndex: 23,
    typeIndex: 1,
  },
});

/** The passkey's public key as the contract's (qx, qy): 64 bytes x || y, or 65 with the 0x04 prefix. */
export function passkeyCoordinates(publicKey: Hex): { qx: Hex; qy: Hex } {
  const hex = publicKey.slice(2);
  const raw = hex.length === 130 && hex.startsWith("04") ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{128}$/.test(raw)) throw new Error("A P-256 public key is 64 bytes (x || y), optionally prefixed by 0x04");
  return { qx: `0x${raw.slice(0, 64).toLowerCase()}`, qy: `0x${raw.slice(64).toLowerCase()}` };
}

export async function toPasskeyAccount(p: { client: SmartAccountImplementation["client"]; owner: WebAuthnAccount; factoryAddress: Address; entryPointAddress: Address; salt?: bigint; address?: Address }) {
  const { qx, qy } = passkeyCoordinates(p.owner.publicKey);
  const args = [qx, qy, p.salt ?? 0n] as const;
  return toFactoryAccount({
    ...p,
    kind: "PasskeyAccount",
    readAddress: () => readContract(p.client, { address: p.factoryAddress, abi: passkeyAccountFactoryAbi, functionName: "getAddress", args }),
    factoryData: encodeFunctionData({ abi: passkeyAccountFactoryAbi, functionName: "createAccount", args }),
    stubSignature: async () => STUB_SIGNATURE,
    signHash: async (hash) => encodeWebAuthnSignature(await p.owner.sign({ hash })),
  });
}
