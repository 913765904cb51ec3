/**
 * Pure and isomorphic (the CLI signs with it, the server checks with it): the EIP-712 messages of
 * the demo verifier (contracts/AgentDemoVerifier.sol). An EVM agent signs `MetaVerify{agentKey
 * (its address), nonce, deadline}` as typed data; an Ed25519 agent signs, with Ed25519, the 32-byte
 * EIP-712 digest of `MetaVerifyEd25519{agentKey (its public key), nonce, deadline}`. Domain:
 * name "AgentDemoVerifier", version "1", the chain id, the verifier's address.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hashTypedData, hexToBytes, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const EIP712_DOMAIN_NAME = "AgentDemoVerifier";
export const EIP712_DOMAIN_VERSION = "1";

export type MetaVerifyParams = { chainId: number; verifier: Address; agentKey: Hex; nonce: bigint; deadline: bigint; ed25519?: boolean };

/** The EIP-712 typed data (EVM: signed as is; Ed25519: its digest is what the Ed25519 key signs). */
export function metaVerifyTypedData(p: MetaVerifyParams) {
  const domain = { name: EIP712_DOMAIN_NAME, version: EIP712_DOMAIN_VERSION, chainId: p.chainId, verifyingContract: p.verifier } as const;
  if (p.ed25519) {
    return { domain, types: { MetaVerifyEd25519: [{ name: "agentKey", type: "bytes32" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] }, primaryType: "MetaVerifyEd25519", message: { agentKey: p.agentKey, nonce: p.nonce, deadline: p.deadline } } as const;
  }
  return { domain, types: { MetaVerify: [{ name: "agentKey", type: "address" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] }, primaryType: "MetaVerify", message: { agentKey: p.agentKey as Address, nonce: p.nonce, deadline: p.deadline } } as const;
}

/** The 32 bytes an Ed25519 agent signs. */
export function metaVerifyEd25519Digest(p: Omit<MetaVerifyParams, "ed25519">): Hex {
  return hashTypedData(metaVerifyTypedData({ ...p, ed25519: true }) as Parameters<typeof hashTypedData>[0]);
}

/**
 * The request body of POST /api/demo/chain-verify (EVM key) or /chain-verify-ed25519 (`ed25519`: the
 * key is a 32-byte Ed25519 seed), signed with `privateKey`.
 */
export async function signMetaVerify(
  privateKey: Hex,
  p: { chainId: number; verifier: Address; nonce: bigint; deadline: bigint; ed25519?: boolean; networkId?: string },
): Promise<{ agentKey: Hex; nonce: string; deadline: number; eip712Signature: Hex; networkId?: string }> {
  const common = { nonce: p.nonce.toString(), deadline: Number(p.deadline), ...(p.networkId ? { networkId: p.networkId } : {}) };
  if (p.ed25519) {
    const seed = hexToBytes(privateKey);
    const agentKey = bytesToHex(ed25519.getPublicKey(seed));
    const digest = metaVerifyEd25519Digest({ chainId: p.chainId, verifier: p.verifier, agentKey, nonce: p.nonce, deadline: p.deadline });
    return { agentKey, ...common, eip712Signature: bytesToHex(ed25519.sign(hexToBytes(digest), seed)) };
  }
  const account = privateKeyToAccount(privateKey);
  const typed = metaVerifyTypedData({ chainId: p.chainId, verifier: p.verifier, agentKey: account.address, nonce: p.nonce, deadline: p.deadline });
  return { agentKey: account.address, ...common, eip712Signature: await account.signTypedData(typed as Parameters<typeof account.signTypedData>[0]) };
}
