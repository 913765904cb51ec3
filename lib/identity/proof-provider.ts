/**
 * What a proof-of-personhood provider implements for the identity sessions (lib/identity/sessions.ts).
 *
 * A session asks the human for a proof (a deep link / QR the provider's app opens); the provider's
 * app posts the proof to the session's callback; `verify` checks it and returns what the registry
 * records: the human's nullifier (the same for every proof the same human makes under `scope`),
 * the disclosed credentials, and the verification strength (1 basic, 2 standard, 3 enhanced). The
 * registry then mints, refreshes or burns with the provider's authorised account (`keyName`, a key
 * in identity_provider_keys). Pure: no I/O in this file.
 */
import type { SessionKind } from "./session-token";

/** What the session asks the human to disclose (the seed's `disclosures`). */
export type Disclosures = { minimumAge?: number; ofac?: boolean; nationality?: boolean; name?: boolean };

export type Credentials = { nationality: string; olderThan: number; ofac: [boolean, boolean, boolean] };

export type ProofRequest = {
  sessionId: string;
  kind: SessionKind;
  chainId: number;
  /** The proof scope: nullifiers are stable per human within one scope. */
  scope: string;
  disclosures: Disclosures;
  /** The session token (the provider's app passes it back to the callback). */
  token: string;
  /** Where the provider's app posts the proof. */
  callbackUrl: string;
  /** This server's origin (links a browser-based provider opens). */
  origin: string;
};

export type VerifiedProof = {
  nullifier: bigint;
  credentials: Credentials;
  strength: 1 | 2 | 3;
  /** The mock passport only: the member (user id) whose passkey assertion the proof was made after. */
  attestedBy?: string;
};

export interface ProofProvider {
  /** Stored on the session ("mock-passport"). */
  readonly name: string;
  /** Shown to people ("Mock passport (development)"). */
  readonly displayName: string;
  /** The identity_provider_keys entry whose account the registry authorised. */
  readonly keyName: string;
  /** The deep link the human opens (and the QR payload). */
  link(req: ProofRequest): { deepLink: string; qrData: string } | Promise<{ deepLink: string; qrData: string }>;
  /**
   * Checks a callback body; throws InvalidProofError with the reason (400, the session stays open),
   * or ProviderFailureError when the provider's own service cannot be reached (the session fails).
   */
  verify(body: unknown, req: ProofRequest): Promise<VerifiedProof>;
}

export class InvalidProofError extends Error {}
/** The provider could not check the proof (its service or chain is unreachable): the session turns failed with this reason. */
export class ProviderFailureError extends Error {}

/** The scope of this server's proofs on one chain. */
export function proofScope(chainId: number): string {
  return `countersign-agent-id:${chainId}`;
}

/** Whether `c` satisfies what the session asked (the provider's own check of its disclosures). */
export function credentialsMeet(d: Disclosures, c: Credentials): string | null {
  if (d.minimumAge && c.olderThan < d.minimumAge) return `Proof does not show age ${d.minimumAge} or over`;
  if (d.nationality && !c.nationality) return "Proof does not disclose the nationality";
  return null;
}
