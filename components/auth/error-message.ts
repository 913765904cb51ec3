import { describeError } from "../api/errors";
import { describeCeremonyError } from "./passkey-flows";

/** Message for anything thrown by a sign-in/sign-up flow: WebAuthn ceremony, wallet or API. */
export function authErrorMessage(error: unknown): string {
  const ceremony = describeCeremonyError(error);
  if (ceremony) return ceremony;
  if (error instanceof Error && /user rejected|user denied/i.test(error.message)) return "The request was rejected in your wallet.";
  return describeError(error);
}
