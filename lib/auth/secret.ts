import { env } from "@/lib/config/env";
import { deriveKey } from "@/lib/keystore";

let derived: string | undefined;

/**
 * The key that signs/encrypts session JWTs: AUTH_SECRET when set, otherwise derived from the master
 * key (so a default install needs no extra secret, and a sealed server issues no sessions).
 */
export async function authSecret(): Promise<string> {
  const explicit = env().AUTH_SECRET;
  if (explicit) return explicit;
  if (!derived) derived = Buffer.from(await deriveKey("auth-secret")).toString("hex");
  return derived;
}
