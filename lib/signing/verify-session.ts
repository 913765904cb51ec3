/**
 * The client's side of "every party signs only what it computed" (spec §8.2 step 2): before a
 * client's party runs, it recomputes the digest from what it asked to sign — the transaction the
 * server filled (checked field by field against the request), the EIP-191 message or the EIP-712
 * typed data — and re-derives the execution id from both nonces, the signer set and that digest.
 * Any difference means the server (or something between) tampered with the session, and the
 * client's share must not be used. Isomorphic: the agent SDK (Node), the send dialog and the
 * browser's signing worker all call verifySigningSession.
 */
import { getAddress, hashMessage, hashTypedData, isAddress, isHex, type Hex, type TypedDataDefinition } from "viem";
import { signingHash, type UnsignedEip1559Tx } from "@/lib/chain/tx-codec";
import { PARTY_INDEX, signSid } from "./participants";
import { txFromJson, type TxJson } from "./transaction-json";

export type TamperedField = "kind" | "transaction" | "messageHash" | "signers" | "nonce" | "sid" | "identity";

/** The server's session differs from what this client asked for or can derive: nothing was signed. */
export class TamperedSessionError extends Error {
  override name = "TamperedSessionError";
  constructor(
    message: string,
    readonly field: TamperedField = "messageHash",
  ) {
    super(message);
  }
}

/** What a session response (start or status) claims; the fields a client checks. */
export type SessionClaims = {
  sid: string;
  messageHash: string;
  signers: number[];
  party?: number;
  serverNonce?: string;
  clientNonce?: string;
  transaction: TxJson | null;
  identities?: Record<string, string>;
};

type Integer = bigint | string | number;

/**
 * What the client asked to sign. For a transaction, fields left undefined are the server's to fill
 * (nonce, gas, fees); everything given must come back unchanged. Integers may be bigints or decimal
 * strings (so an intent can cross postMessage and JSON).
 */
export type SigningIntent =
  | { kind: "transaction"; chainId: number; to: string | null; value?: Integer; data?: string; nonce?: number; gas?: Integer; maxFeePerGas?: Integer; maxPriorityFeePerGas?: Integer }
  | { kind: "message"; message: string | { raw: Hex } }
  | { kind: "typed_data"; typedData: TypedDataDefinition };

export type VerifiedSession = {
  /** The digest this client computed itself (0x-prefixed): the one its party signs. */
  messageHash: Hex;
  /** The execution id this client derived itself (hex, no prefix). */
  sid: string;
  signers: number[];
  /** The filled transaction, decoded (transaction sessions only). */
  transaction: UnsignedEip1559Tx | null;
  /** The parties' identity keys (authenticated blame), when the client announced its own. */
  identities?: Record<string, string>;
};

const HEX_NONCE = /^(?:[0-9a-f]{2}){16,64}$/;

function int(v: Integer | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  if (!/^\d{1,78}$/.test(v)) throw new TamperedSessionError(`Not a decimal integer: ${v}`, "transaction");
  return BigInt(v);
}

function sameAddress(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return isAddress(a, { strict: false }) && isAddress(b, { strict: false }) && getAddress(a) === getAddress(b);
}

/** Checks the server's filled transaction against the request and decodes it; throws on any difference. */
export function checkFilledTransaction(filled: TxJson | null, intent: Extract<SigningIntent, { kind: "transaction" }>): UnsignedEip1559Tx {
  if (!filled) throw new TamperedSessionError("The server opened a message session for a transaction", "kind");
  let tx: UnsignedEip1559Tx;
  try {
    tx = txFromJson(filled);
  } catch {
    throw new TamperedSessionError("The server's transaction is malformed", "transaction");
  }
  const differs = (what: string) => new TamperedSessionError(`The server's transaction differs from the one requested (${what})`, "transaction");
  if (!Number.isSafeInteger(tx.chainId) || tx.chainId !== intent.chainId) throw differs(`chain id ${tx.chainId}, expected ${intent.chainId}`);
  if (tx.to !== null && !isAddress(tx.to, { strict: false })) throw differs("recipient is not an address");
  if (!sameAddress(tx.to, intent.to)) throw differs(`recipient ${tx.to ?? "none"}, expected ${intent.to ?? "none"}`);
  if (tx.value !== (int(intent.value) ?? 0n)) throw differs(`value ${tx.value}, expected ${int(intent.value) ?? 0n}`);
  if (!isHex(tx.data, { strict: true }) || tx.data.toLowerCase() !== (intent.data ?? "0x").toLowerCase()) throw differs("data");
  if (intent.nonce !== undefined && tx.nonce !== intent.nonce) throw differs(`nonce ${tx.nonce}, expected ${intent.nonce}`);
  const fixed = [
    ["gas", tx.gas, intent.gas],
    ["maxFeePerGas", tx.maxFeePerGas, intent.maxFeePerGas],
    ["maxPriorityFeePerGas", tx.maxPriorityFeePerGas, intent.maxPriorityFeePerGas],
  ] as const;
  for (const [name, got, want] of fixed) if (want !== undefined && got !== int(want)) throw differs(`${name} ${got}, expected ${int(want)}`);
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) throw differs("priority fee above the fee cap");
  return tx;
}

/** The digest of what was asked for, recomputed here (transactions: of the checked, filled transaction). */
export function recomputeDigest(intent: SigningIntent, filled: TxJson | null): { messageHash: Hex; transaction: UnsignedEip1559Tx | null } {
  if (intent.kind === "transaction") {
    const tx = checkFilledTransaction(filled, intent);
    return { messageHash: signingHash(tx), transaction: tx };
  }
  if (filled !== null) throw new TamperedSessionError("The server opened a transaction session for a message", "kind");
  return { messageHash: intent.kind === "message" ? hashMessage(intent.message) : hashTypedData(intent.typedData), transaction: null };
}

/**
 * Verifies a session the server opened (or reports on) before this client's party uses its share:
 * the digest is recomputed from the intent, the signer set must be {this party, the server}, the
 * server must echo this client's nonce, and the sid is re-derived (keyId = signer id, the signer's
 * participants, both nonces, digest, signers). Returns the values the party must run on — this
 * client's own, never the server's. Throws TamperedSessionError naming what differs.
 */
export function verifySigningSession(session: SessionClaims, expected: { keyId: string; party: number; clientNonce: string; intent: SigningIntent; identityKey?: string }): VerifiedSession {
  const { messageHash, transaction } = recomputeDigest(expected.intent, session.transaction);
  if (typeof session.messageHash !== "string" || session.messageHash.toLowerCase() !== messageHash.toLowerCase()) {
    throw new TamperedSessionError(
      expected.intent.kind === "transaction"
        ? "The server's digest does not match the transaction it filled"
        : `The server's digest does not match the ${expected.intent.kind === "message" ? "message" : "typed data"}`,
      "messageHash",
    );
  }
  const signers = [expected.party, PARTY_INDEX.server].sort((a, b) => a - b);
  if (session.party !== undefined && session.party !== expected.party) throw new TamperedSessionError(`The session is for party ${session.party}, not ${expected.party}`, "signers");
  if (!Array.isArray(session.signers) || session.signers.join() !== signers.join()) {
    throw new TamperedSessionError(`The session's signers [${String(session.signers)}] are not [${signers.join()}]`, "signers");
  }
  const clientNonce = expected.clientNonce.toLowerCase();
  if (!HEX_NONCE.test(clientNonce)) throw new Error("The client nonce must be 16 to 64 random bytes as hex");
  if (session.clientNonce !== undefined && session.clientNonce.toLowerCase() !== clientNonce) throw new TamperedSessionError("The server did not echo this client's nonce", "nonce");
  const serverNonce = (session.serverNonce ?? "").toLowerCase();
  if (!HEX_NONCE.test(serverNonce)) throw new TamperedSessionError("The server did not return its nonce, so the session id cannot be checked", "nonce");
  const sid = signSid({ keyId: expected.keyId, serverNonce, clientNonce, messageHash, signers });
  if (typeof session.sid !== "string" || session.sid.toLowerCase() !== sid) throw new TamperedSessionError("The session id does not derive from the nonces, signers and digest", "sid");
  if (expected.identityKey === undefined) return { messageHash, sid, signers, transaction };
  // Authenticated blame: the session must name this client's identity (and the server's own).
  const identities = session.identities ?? {};
  if (identities[expected.party] !== expected.identityKey || !/^[0-9a-f]{64}$/.test(identities[PARTY_INDEX.server] ?? "")) {
    throw new TamperedSessionError("The server did not bind this session to this client's identity key", "identity");
  }
  return { messageHash, sid, signers, transaction, identities: { [expected.party]: expected.identityKey, [PARTY_INDEX.server]: identities[PARTY_INDEX.server]! } };
}
