import { env } from "@/lib/config/env";
import { NotConfiguredError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";

/** The keystore context the provider's Turnkey API private key is sealed under. */
export const TURNKEY_KEY_CONTEXT = "turnkey-provider-api-key";

export type TurnkeyConfig = { baseUrl: string; organizationId: string; apiPublicKey: string; apiPrivateKey: string };

export const TURNKEY_NOT_CONFIGURED = "Turnkey is not configured";

export class TurnkeyNotConfiguredError extends NotConfiguredError {
  constructor() {
    super(TURNKEY_NOT_CONFIGURED);
  }
}

/** Seals a hex P-256 private key for TURNKEY_API_PRIVATE_KEY_SEALED (base64url of the sealed blob's JSON). */
export function sealTurnkeyPrivateKey(privateKeyHex: string): string {
  const hex = privateKeyHex.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("The Turnkey API private key must be 32 bytes of hex");
  return Buffer.from(JSON.stringify(sealSecret(Buffer.from(hex, "hex"), TURNKEY_KEY_CONTEXT))).toString("base64url");
}

/** The installation's Turnkey configuration, or 503 "Turnkey is not configured" when any part is missing. */
export function turnkeyConfig(): TurnkeyConfig {
  const e = env();
  if (!e.TURNKEY_API_BASE_URL || !e.TURNKEY_ORGANIZATION_ID || !e.TURNKEY_API_PUBLIC_KEY || !e.TURNKEY_API_PRIVATE_KEY_SEALED) throw new TurnkeyNotConfiguredError();
  let apiPrivateKey: string;
  try {
    const blob = JSON.parse(Buffer.from(e.TURNKEY_API_PRIVATE_KEY_SEALED, "base64url").toString("utf8")) as SealedBlob;
    apiPrivateKey = Buffer.from(openSecret(blob, TURNKEY_KEY_CONTEXT)).toString("hex");
  } catch {
    // A key sealed under another master key, or not a sealed blob: as good as not configured (no detail leaks).
    throw new TurnkeyNotConfiguredError();
  }
  return { baseUrl: e.TURNKEY_API_BASE_URL.replace(/\/$/, ""), organizationId: e.TURNKEY_ORGANIZATION_ID, apiPublicKey: e.TURNKEY_API_PUBLIC_KEY.toLowerCase(), apiPrivateKey };
}
