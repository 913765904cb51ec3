/**
 * Who takes part in a signer's ceremonies, as bound into every execution id (spec §2.6, §8.2).
 * Isomorphic (no node:crypto): the server derives sids with it, and every client (the agent SDK,
 * the browser's signing worker) re-derives them with the same list to check the server's.
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { deriveSid, type SidParticipant } from "@/lib/mpc/transcript";

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

/** Hex inputs (nonces, digest; an optional 0x prefix) of the execution ids below. */
const bytes = (h: string) => hexToBytes(h.replace(/^0x/, ""));

/**
 * The execution ids of a signer's key generation (keygen and aux info), spec §2.6: the server
 * derives them from both nonces, and every client re-derives them to check the server's.
 */
export function dkgSids(input: { keyId: string; serverNonce: string; clientNonce: string }): { sid: string; auxSid: string } {
  const common = { keyId: input.keyId, participants: signerParticipants(), serverNonce: bytes(input.serverNonce), clientNonce: bytes(input.clientNonce) };
  return { sid: bytesToHex(deriveSid({ protocol: "dkg", ...common })), auxSid: bytesToHex(deriveSid({ protocol: "aux", ...common })) };
}

/** The execution id of a signing session (spec §2.6, §8.2), derived the same way by server and clients. */
export function signSid(input: { keyId: string; serverNonce: string; clientNonce: string; messageHash: string; signers: number[] }): string {
  return bytesToHex(deriveSid({ protocol: "sign", keyId: input.keyId, participants: signerParticipants(), serverNonce: bytes(input.serverNonce), clientNonce: bytes(input.clientNonce), messageHash: bytes(input.messageHash), signers: input.signers }));
}
