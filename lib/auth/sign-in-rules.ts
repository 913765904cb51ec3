/**
 * The sign-in limits' definitions (pure: contracts in lib/api import them); lib/auth/sign-in-limits.ts
 * explains the layers and applies the flood circuit.
 */
import { parseSiweMessage } from "viem/siwe";
import type { RateLimitInput, RateLimitRule } from "@/lib/http/contract";

/** Every sign-in route, per client address (next-auth's POSTs included). */
export const SIGN_IN_ADDRESS = { name: "auth", limit: 30, windowSeconds: 60, by: "ip" } as const satisfies RateLimitRule;
/** Attempts per minute from one address at one account. */
export const SIGN_IN_ACCOUNT = { name: "sign-in", limit: 10, windowSeconds: 60, message: "Too many sign-in attempts for this account; try again later" } as const;
/** Failed sign-ins per minute, all addresses and accounts together, that trip the flood circuit. */
export const SIGN_IN_FLOOD = { name: "sign-in-failures", limit: 100, windowSeconds: 60, message: "Sign-in is busy; try again shortly" } as const;
/** A successful sign-in exempts its address from the flood circuit for a day. */
export const SIGN_IN_TRUSTED = { name: "sign-in-ok", windowSeconds: 3600, rememberSeconds: 86_400 } as const;

function accountRule(key: (input: RateLimitInput) => string | null | undefined): RateLimitRule {
  return { ...SIGN_IN_ACCOUNT, by: "account", key };
}

const field = (body: unknown, name: string): unknown => (typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined);

/** Registration: the email being registered. */
export const signInByEmail = accountRule(({ body }) => {
  const email = field(body, "email");
  return typeof email === "string" ? `email:${email.trim().toLowerCase()}` : null;
});

/** Passkey sign-in: the credential id the assertion names. */
export const signInByPasskey = accountRule(({ body }) => {
  const id = field(field(body, "credential"), "id");
  return typeof id === "string" ? `passkey:${id.slice(0, 256)}` : null;
});

/** Sign-In With Ethereum: the wallet address of the message (checksum or not, one account). */
export const signInByWallet = accountRule(({ body }) => {
  const message = field(body, "message");
  if (typeof message !== "string") return null;
  try {
    const address = parseSiweMessage(message).address;
    return address ? `wallet:${address.toLowerCase()}` : null;
  } catch {
    return null;
  }
});
