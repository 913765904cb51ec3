/**
 * Signed agent requests (seed 003, `SelfAgent.signRequest()`): pure and isomorphic, so the SDK, the
 * CLI and the server share it. The agent signs
 *
 *   digest = keccak256(utf8(timestamp + METHOD + pathWithQuery + keccak256(utf8(body))))
 *
 * with EIP-191 (`personal_sign` over the 32 digest bytes) for an EVM key, or Ed25519 over the 32
 * digest bytes for an Ed25519 key, and sends
 *   x-self-agent-address    the agent's address (EIP-55; for Ed25519, the registry's derived address)
 *   x-self-agent-signature  0x-hex signature
 *   x-self-agent-timestamp  Unix milliseconds
 *   x-self-agent-keytype    "ed25519" (Ed25519 only)
 *   x-self-agent-key        0x-hex 32-byte public key (Ed25519 only)
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, getAddress, hexToBytes, keccak256, toBytes, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { SELF_AGENT_HEADERS as SELF_AGENT_HEADER_NAMES } from "@/lib/auth/signed-agent";

export { SELF_AGENT_HEADER_NAMES };

/** A signed request is accepted within 5 minutes of its timestamp (either side). */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export type RequestParts = { timestamp: string; method: string; path: string; body?: string | Uint8Array | null };

/** The path the signature covers: pathname plus query string, exactly as sent. */
export function signedPath(url: string | URL): string {
  const u = typeof url === "string" ? new URL(url, "http://localhost") : url;
  return `${u.pathname}${u.search}`;
}

export function agentRequestDigest(p: RequestParts): Hex {
  const body = p.body == null ? new Uint8Array() : typeof p.body === "string" ? toBytes(p.body) : p.body;
  return keccak256(toBytes(`${p.timestamp}${p.method.toUpperCase()}${p.path}${keccak256(body)}`));
}

/** The address the registry gives an Ed25519 agent: the last 20 bytes of keccak256(publicKey). */
export function ed25519AgentAddress(publicKey: Hex): Address {
  return getAddress(`0x${keccak256(publicKey).slice(-40)}`);
}

export type SignInput = { method: string; url: string | URL; body?: string | Uint8Array | null; timestamp?: number };

/** Headers for a request signed by an EVM agent key. */
export async function signAgentRequest(privateKey: Hex, input: SignInput): Promise<Record<string, string>> {
  const account = privateKeyToAccount(privateKey);
  const timestamp = String(input.timestamp ?? Date.now());
  const digest = agentRequestDigest({ timestamp, method: input.method, path: signedPath(input.url), body: input.body });
  const signature = await account.signMessage({ message: { raw: digest } });
  return {
    [SELF_AGENT_HEADER_NAMES.address]: account.address,
    [SELF_AGENT_HEADER_NAMES.signature]: signature,
    [SELF_AGENT_HEADER_NAMES.timestamp]: timestamp,
  };
}

/** Headers for a request signed by an Ed25519 agent key (32-byte seed). */
export function signAgentRequestEd25519(secretKey: Hex, input: SignInput): Record<string, string> {
  const seed = hexToBytes(secretKey);
  const publicKey = bytesToHex(ed25519.getPublicKey(seed));
  const timestamp = String(input.timestamp ?? Date.now());
  const digest = agentRequestDigest({ timestamp, method: input.method, path: signedPath(input.url), body: input.body });
  const signature = bytesToHex(ed25519.sign(hexToBytes(digest), seed));
  return {
    [SELF_AGENT_HEADER_NAMES.address]: ed25519AgentAddress(publicKey),
    [SELF_AGENT_HEADER_NAMES.signature]: signature,
    [SELF_AGENT_HEADER_NAMES.timestamp]: timestamp,
    [SELF_AGENT_HEADER_NAMES.keyType]: "ed25519",
    [SELF_AGENT_HEADER_NAMES.key]: publicKey,
  };
}
