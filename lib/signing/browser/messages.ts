/**
 * The postMessage protocol between the dashboard and its ceremony workers
 * (components/signers/dkg.worker.ts, components/signers/send-sign.worker.ts). Everything is
 * JSON-safe; key shares cross only as encodeKeyShare() strings.
 */
import type { AuxPrimesHex } from "@/lib/mpc";

export type RelayedMessage = { seq: string; message: unknown };

export type DkgStart = {
  type: "start";
  ceremony: { ceremonyId: string; sid: string; auxSid: string; profile: string; messages: RelayedMessage[] };
  /** Four safe primes per client party, generated in the prime workers. */
  primes: { agent: AuxPrimesHex; user: AuxPrimesHex };
};

export type ShareFileRequest = {
  type: "share-file";
  passphrase: string;
  contents: { apiKey: string; signerId: string; address: string; chainId: number; baseUrl: string; profile: string };
};

export type DkgWorkerRequest = DkgStart | ShareFileRequest;

export type CeremonyProgress = { type: "progress"; protocol: "keygen" | "aux" | "sign"; round: number; party: number };

export type DkgWorkerResponse =
  | CeremonyProgress
  /** The user's share (party 2) goes back for encryption; the agent's stays in the worker. */
  | { type: "done"; publicKey: string; userShare: string }
  | { type: "share-file"; file: unknown }
  | { type: "error"; message: string; status?: number };

export type SignWorkerRequest = {
  type: "start";
  signerId: string;
  /** The signer's public key: the decrypted share must belong to it. */
  publicKey: string | null;
  profile: string;
  share: string;
  session: { sessionId: string; sid: string; messageHash: string; signers: number[]; messages: RelayedMessage[] };
};

export type SignWorkerResponse = CeremonyProgress | { type: "done" } | { type: "error"; message: string; status?: number };

/** Rounds per protocol (with the echo round that three parties use): for "round k of n" displays. */
export const ROUNDS = { keygen: 4, aux: 4, sign: 4 } as const;
