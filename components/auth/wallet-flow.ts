import { createSiweMessage } from "viem/siwe";
import type { Address } from "viem";
import type { RequestFn } from "./passkey-flows";
import type { SessionUser } from "../api/types";

export const SIWE_STATEMENT = "Sign in to Countersign";

export interface WalletFlowDeps {
  request: RequestFn;
  /** Connects the injected wallet and reports the account and chain it is on. */
  connect(): Promise<{ address: Address; chainId: number }>;
  signMessage(message: string, address: Address): Promise<`0x${string}`>;
  location: { host: string; origin: string };
  now?: () => Date;
}

/** Sign-In With Ethereum (EIP-4361): server nonce, message signed by the wallet, server verifies. */
export async function signInWithWallet(deps: WalletFlowDeps): Promise<SessionUser> {
  const { address, chainId } = await deps.connect();
  const { nonce } = await deps.request<{ nonce: string }>("/api/v1/auth/siwe/nonce", { method: "POST", body: {} });
  const message = createSiweMessage({
    domain: deps.location.host,
    address,
    uri: deps.location.origin,
    version: "1",
    chainId,
    nonce,
    statement: SIWE_STATEMENT,
    issuedAt: (deps.now ?? (() => new Date()))(),
  });
  const signature = await deps.signMessage(message, address);
  const { user } = await deps.request<{ user: SessionUser }>("/api/v1/auth/siwe/verify", {
    method: "POST",
    body: { message, signature },
  });
  return user;
}
