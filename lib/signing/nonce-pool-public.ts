import { PARTY_INDEX as PARTY } from "./participants";

/**
 * The user's and the server's public Paillier moduli from `signer_shares.public` (hex), for the
 * browser's nonce precomputation while the send dialog is open; null when the row lacks them.
 */
export function paillierModuliOf(publicData: unknown): { user: string; server: string } | null {
  const aux = (publicData as { auxPublic?: { N?: unknown }[] } | null | undefined)?.auxPublic;
  const user = aux?.[PARTY.user]?.N;
  const server = aux?.[PARTY.server]?.N;
  return typeof user === "string" && typeof server === "string" ? { user, server } : null;
}

/** The server party's public ring-Pedersen parameters (hex) from `signer_shares.public`: the browser precomputes its proofs' masks under them. */
export function serverRingPedersenOf(publicData: unknown): { N: string; s: string; t: string } | null {
  const aux = (publicData as { auxPublic?: { NHat?: unknown; s?: unknown; t?: unknown }[] } | null | undefined)?.auxPublic;
  const server = aux?.[PARTY.server];
  return typeof server?.NHat === "string" && typeof server.s === "string" && typeof server.t === "string" ? { N: server.NHat, s: server.s, t: server.t } : null;
}
