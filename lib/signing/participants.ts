/**
 * Who takes part in a signer's ceremonies, as bound into every execution id (spec §2.6, §8.2).
 * Isomorphic (no node:crypto): the server derives sids with it, and every client (the agent SDK,
 * the browser's signing worker) re-derives them with the same list to check the server's.
 */
import type { SidParticipant } from "@/lib/mpc/transcript";

/** Keygen indices of the three parties of a Countersign signer. */
export const PARTY_INDEX = { agent: 0, server: 1, user: 2 } as const;
export type PartyRole = keyof typeof PARTY_INDEX;

const ROLES: readonly PartyRole[] = ["agent", "server", "user"];

/**
 * The participants of a signer's sids, ascending by index. Parties are bound by role today
 * (`countersign/party/<role>`); per-device identity keys replace these strings when they exist.
 */
export function signerParticipants(): SidParticipant[] {
  return ROLES.map((role) => ({ index: PARTY_INDEX[role], identityKey: new TextEncoder().encode(`countersign/party/${role}`) }));
}
