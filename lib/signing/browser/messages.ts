/**
 * The postMessage protocol between the dashboard and its ceremony workers
 * (components/signers/dkg.worker.ts, components/signers/send-sign.worker.ts). Everything is
 * JSON-safe; key shares cross only as encodeKeyShare() strings.
 */
import type { AuxPrimesHex } from "@/lib/mpc";
import type { TxJson } from "@/lib/signing/transaction-json";
import type { SigningIntent } from "@/lib/signing/verify-session";

export type RelayedMessage = { seq: string; message: unknown };

export type DkgCeremony = {
  ceremonyId: string;
  signerId: string;
  sid: string;
  auxSid: string;
  profile: string;
  /** Both nonces of the execution ids: the worker re-derives sid and auxSid and refuses a mismatch. */
  serverNonce?: string;
  clientNonce?: string;
  /** Identity keys the server announced ("1" its own); the worker trusts only the server's from here. */
  identities?: Record<string, string>;
  messages: RelayedMessage[];
};

/**
 * Before the signer exists: the worker makes this ceremony's ephemeral keys — the user's Ed25519
 * identity (it signs every protocol message; authenticated blame) with its X25519 image and the pin
 * of the invitation (remote mode), and in browser mode the agent party's identity too. Private keys
 * never leave the worker.
 */
export type DkgPrepare = { type: "prepare" };

/** Remote mode (default): the user's party (2) only; p2p messages with the agent (0) end-to-end encrypted. */
export type DkgStartRemote = {
  type: "start-remote";
  ceremony: DkgCeremony;
  /** The nonce this browser sent at creation: the server must have used it. */
  clientNonce: string;
  primes: AuxPrimesHex;
  /** As reported by POST /dkg/init; checked against the pin before anything is encrypted to it. */
  agent: { agentKey: string | null; agentKeyMac: string | null; identityKey?: string | null };
};

/** Browser mode (explicit opt-in): the agent's (0) and the user's (2) parties both run here. */
export type DkgStartBrowser = {
  type: "start-browser";
  ceremony: DkgCeremony;
  clientNonce: string;
  /** Four safe primes per client party, generated in the prime workers. */
  primes: { agent: AuxPrimesHex; user: AuxPrimesHex };
};

export type ShareFileRequest = {
  type: "share-file";
  passphrase: string;
  contents: { apiKey: string; signerId: string; address: string; chainId: number; baseUrl: string; profile: string };
};

export type DkgWorkerRequest = DkgPrepare | DkgStartRemote | DkgStartBrowser | ShareFileRequest;

export type CeremonyProgress = { type: "progress"; protocol: "keygen" | "aux" | "sign"; round: number; party: number };

/** Why a DKG worker stopped, when the UI words it specially. */
export type DkgErrorCode = "agent-key-mismatch" | "e2e" | "sid-mismatch" | "aborted";

export type DkgWorkerResponse =
  | CeremonyProgress
  | { type: "prepared"; userKey: string; pin: string; userIdentityKey: string; agentIdentityKey: string }
  /** A message from another party arrived (for per-party progress: who has reached which round). */
  | { type: "seen"; from: number; protocol: "keygen" | "aux"; round: number }
  /** The user's share (party 2) goes back for encryption; in browser mode the agent's stays in the worker. */
  | { type: "done"; publicKey: string; userShare: string }
  | { type: "share-file"; file: unknown }
  | { type: "error"; message: string; status?: number; code?: DkgErrorCode };

/**
 * Sent when the send dialog opens (before any share is unlocked): the worker precomputes one
 * session's Paillier nonces (spec §6.4) for these public moduli (hex, from GET …/user-share) and,
 * given the server's ring-Pedersen parameters, its proofs' commitment masks, in the background; the
 * session that follows takes them. Values that do not match the share's are simply not used.
 */
export type SignWorkerPrecompute = {
  type: "precompute";
  moduli: { user: string; server: string };
  ringPedersen?: { server: { N: string; s: string; t: string }; profile: "production" | "fast-test" } | null;
};

export type SignWorkerRequest = SignWorkerPrecompute | SignWorkerStart;

export type SignWorkerStart = {
  type: "start";
  signerId: string;
  /** The signer's public key: the decrypted share must belong to it. */
  publicKey: string | null;
  profile: string;
  share: string;
  /** The session as the server returned it; the worker checks it against `intent` before it signs. */
  session: { sessionId: string; sid: string; messageHash: string; signers: number[]; party?: number; serverNonce?: string; clientNonce?: string; identities?: Record<string, string>; transaction: TxJson | null; messages: RelayedMessage[] };
  /** What the user asked to sign (and saw): the worker recomputes the digest and sid from it and this page's nonce. */
  intent: SigningIntent;
  clientNonce: string;
  /** The identity this session was opened with: every message the user's party sends is signed with it. */
  identity: { secretKey: Uint8Array; publicKey: string };
  /** The user's long-term identity vouching for `identity` in this session (sent with the rounds). */
  identityCertificate?: string;
};

export type SignWorkerResponse = CeremonyProgress | { type: "done" } | { type: "error"; message: string; status?: number };

/** Rounds per protocol (with the echo round that three parties use): for "round k of n" displays. */
export const ROUNDS = { keygen: 4, aux: 4, sign: 4 } as const;
