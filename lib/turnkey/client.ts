import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { TurnkeyClient } from "@turnkey/http";
import { ServiceUnavailableError } from "@/lib/http/errors";
import type { TurnkeyConfig } from "./config";

/**
 * Turnkey's own client (@turnkey/http), every request stamped (X-Stamp) with the provider's API key
 * (@turnkey/api-key-stamper). Against api.turnkey.com or the development stand-in alike.
 */
export function providerClient(cfg: TurnkeyConfig): TurnkeyClient {
  return new TurnkeyClient({ baseUrl: cfg.baseUrl }, new ApiKeyStamper({ apiPublicKey: cfg.apiPublicKey, apiPrivateKey: cfg.apiPrivateKey }));
}

export type TurnkeyActivity = Awaited<ReturnType<TurnkeyClient["getActivity"]>>["activity"];

/** Turnkey's answer to a failed call (TurnkeyRequestError carries `{ code, message }`), as one line. */
export function turnkeyMessage(err: unknown): string {
  const e = err as { message?: string; code?: number };
  return (e.message ?? String(err)).split("\n")[0]!.slice(0, 300);
}

/** Turnkey's gRPC-style code on a failed call, when there is one (5 = NOT_FOUND). */
export function turnkeyCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown }).code;
  return typeof c === "number" ? c : undefined;
}

/** Runs a Turnkey call; a network failure or Turnkey error becomes a 503 naming what failed. */
export async function callTurnkey<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ServiceUnavailableError(`Turnkey ${what} failed: ${turnkeyMessage(err)}`);
  }
}

/** 0x-prefixed lowercase hex (Turnkey writes transactions without the prefix). */
export function hex0x(s: string): `0x${string}` {
  return `0x${s.replace(/^0x/i, "").toLowerCase()}`;
}
