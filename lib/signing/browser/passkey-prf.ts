/**
 * WebAuthn PRF in the browser: evaluates the PRF of a passkey on a salt (the key material for
 * lib/signing/user-share-crypto.ts) or creates a dedicated non-discoverable "share key" passkey
 * with PRF when the sign-in passkey has none. Main thread only (navigator.credentials).
 */
import { fromBase64Url, toBase64Url } from "@/lib/signing/user-share-crypto";

export class PrfUnavailableError extends Error {
  constructor(message = "This passkey cannot derive encryption keys (the authenticator has no PRF support).") {
    super(message);
    this.name = "PrfUnavailableError";
  }
}

export function webauthnAvailable(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer | ArrayBufferView; second?: ArrayBuffer | ArrayBufferView } } };

function output(results: PrfResults, which: "first" | "second"): Uint8Array | null {
  const out = results.prf?.results?.[which];
  if (!out) return null;
  return out instanceof ArrayBuffer ? new Uint8Array(out) : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * One passkey assertion that evaluates the PRF on `salt`. Without `credentialId` any discoverable
 * passkey of this site may answer. Throws PrfUnavailableError when the assertion carries no PRF output.
 * `second` evaluates the PRF on a second input in the same assertion (the create-signer wizard uses
 * it for the key of its prime store, lib/signing/browser/prime-store.ts); `prfSecond` is null when
 * the authenticator answered only the first.
 */
export async function evaluatePrf(opts: { salt: Uint8Array; second?: Uint8Array; credentialId?: string }): Promise<{ credentialId: string; prfOutput: Uint8Array; prfSecond: Uint8Array | null }> {
  if (!webauthnAvailable()) throw new PrfUnavailableError("This browser does not support passkeys.");
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      userVerification: "required",
      timeout: 120_000,
      allowCredentials: opts.credentialId ? [{ type: "public-key", id: fromBase64Url(opts.credentialId) }] : [],
      extensions: { prf: { eval: { first: new Uint8Array(opts.salt), ...(opts.second ? { second: new Uint8Array(opts.second) } : {}) } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new PrfUnavailableError("No passkey answered.");
  const results = cred.getClientExtensionResults() as PrfResults;
  const out = output(results, "first");
  if (!out) throw new PrfUnavailableError();
  return { credentialId: toBase64Url(new Uint8Array(cred.rawId)), prfOutput: out, prfSecond: opts.second ? output(results, "second") : null };
}

/** Creates a passkey used only to protect key shares (not for sign-in), with the PRF extension on. */
export async function createSharePasskey(opts: { userName: string }): Promise<string> {
  if (!webauthnAvailable()) throw new PrfUnavailableError("This browser does not support passkeys.");
  const cred = (await navigator.credentials.create({
    publicKey: {
      rp: { name: "Countersign share key" },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: opts.userName, displayName: `${opts.userName} (share key)` },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      authenticatorSelection: { residentKey: "discouraged", requireResidentKey: false, userVerification: "required" },
      timeout: 120_000,
      extensions: { prf: {} } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new PrfUnavailableError("The passkey was not created.");
  const ext = cred.getClientExtensionResults() as PrfResults;
  if (ext.prf?.enabled === false) throw new PrfUnavailableError();
  return toBase64Url(new Uint8Array(cred.rawId));
}
