import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  AuthenticationResponseJSON,
} from "@simplewebauthn/browser";
import type { ApiRequest } from "../api/client";
import type { Passkey, SessionUser } from "../api/types";

/** The two browser ceremonies, injected so the flows can be exercised without a browser. */
export interface PasskeyCeremonies {
  startRegistration(options: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }): Promise<RegistrationResponseJSON>;
  startAuthentication(options: { optionsJSON: PublicKeyCredentialRequestOptionsJSON }): Promise<AuthenticationResponseJSON>;
}

export type RequestFn = <T>(path: string, request?: ApiRequest) => Promise<T>;

export interface PasskeyFlowDeps extends PasskeyCeremonies {
  request: RequestFn;
}

export interface SignUpInput {
  email: string;
  name: string;
  passkeyName?: string;
}

export interface SignUpResult {
  user: SessionUser;
  passkey: Pick<Passkey, "id" | "name" | "createdAt">;
}

/** Creates the account, then its first passkey; the server signs the user in when the passkey is stored. */
export async function signUpWithPasskey(input: SignUpInput, deps: PasskeyFlowDeps): Promise<SignUpResult> {
  const { user, passkeyOptions } = await deps.request<{
    user: SessionUser;
    passkeyOptions: PublicKeyCredentialCreationOptionsJSON;
  }>("/api/v1/auth/register", { method: "POST", body: { email: input.email.trim(), name: input.name.trim() } });
  const credential = await deps.startRegistration({ optionsJSON: passkeyOptions });
  const { passkey } = await deps.request<{ passkey: SignUpResult["passkey"] }>("/api/v1/auth/passkey/register", {
    method: "POST",
    body: { credential, ...(input.passkeyName ? { name: input.passkeyName } : {}) },
  });
  return { user, passkey };
}

/** Discoverable-credential sign-in: the authenticator picks the account, so no email is asked for. */
export async function signInWithPasskey(deps: PasskeyFlowDeps): Promise<SessionUser> {
  const { options } = await deps.request<{ options: PublicKeyCredentialRequestOptionsJSON }>(
    "/api/v1/auth/passkey/login-challenge",
    { method: "POST", body: {} },
  );
  const credential = await deps.startAuthentication({ optionsJSON: options });
  const { user } = await deps.request<{ user: SessionUser }>("/api/v1/auth/passkey/login", {
    method: "POST",
    body: { credential },
  });
  return user;
}

/** Adds another passkey to the signed-in account. */
export async function addPasskey(name: string | undefined, deps: PasskeyFlowDeps): Promise<SignUpResult["passkey"]> {
  const { options } = await deps.request<{ options: PublicKeyCredentialCreationOptionsJSON }>(
    "/api/v1/auth/passkey/register",
    { method: "POST", body: {} },
  );
  const credential = await deps.startRegistration({ optionsJSON: options });
  const trimmed = name?.trim();
  const { passkey } = await deps.request<{ passkey: SignUpResult["passkey"] }>("/api/v1/auth/passkey/register", {
    method: "POST",
    body: { credential, ...(trimmed ? { name: trimmed } : {}) },
  });
  return passkey;
}

/** Turns WebAuthn ceremony failures into sentences a person can act on; returns null for other errors. */
export function describeCeremonyError(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = "code" in error && typeof error.code === "string" ? error.code : "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This device already holds a passkey for your account.";
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") return "Passkeys are not available on this address.";
  if (error.name === "NotAllowedError" || code === "ERROR_CEREMONY_ABORTED")
    return "The passkey request was cancelled or timed out.";
  if (error.name === "AbortError") return "The passkey request was cancelled.";
  if (error.name === "NotSupportedError") return "This browser or device does not support passkeys.";
  return null;
}
