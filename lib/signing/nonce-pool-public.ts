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
