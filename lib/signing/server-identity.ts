/**
 * The server's long-term identity for protocol messages (authenticated blame, message-auth.ts): an
 * Ed25519 key derived from the master key, so every instance sharing the master key signs as the
 * same server and nothing about it is stored. Rotating the master key rotates this identity.
 */
import { deriveKey } from "@/lib/keystore";
import { identityPublicKey } from "./message-auth";
import type { PartyIdentity } from "./party";

export async function serverIdentity(): Promise<PartyIdentity & { publicKey: string }> {
  const secretKey = await deriveKey("server-identity/ed25519/v1");
  return { secretKey, publicKey: identityPublicKey(secretKey) };
}
