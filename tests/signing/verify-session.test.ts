/**
 * The client-side session check shared by the agent SDK and the browser (lib/signing/verify-session.ts):
 * a session is accepted only when its digest is the one recomputed from what the client asked for and
 * its sid re-derives from both nonces, the signer set and that digest (spec §8.2 step 2).
 */
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { hashMessage, hashTypedData, keccak256, toHex, type Hex } from "viem";
import { signingHash } from "@/lib/chain/tx-codec";
import { deriveSid } from "@/lib/mpc/transcript";
import { PARTY_INDEX, signerParticipants } from "@/lib/signing/participants";
import { txFromJson, type TxJson } from "@/lib/signing/transaction-json";
import { TamperedSessionError, verifySigningSession, type SessionClaims, type SigningIntent } from "@/lib/signing/verify-session";

const keyId = "5b0a3c8e-2f4e-4a44-9d2b-0c1d2e3f4a5b";
const clientNonce = "11".repeat(32);
const serverNonce = "22".repeat(32);
const to = "0x000000000000000000000000000000000000bEEF";

/** What an honest server answers (the same derivation lib/signing/sign-sessions.ts runs). */
function honest(messageHash: Hex, transaction: TxJson | null, party: number = PARTY_INDEX.user): SessionClaims {
  const signers = [party, PARTY_INDEX.server].sort((a, b) => a - b);
  const sid = bytesToHex(
    deriveSid({ protocol: "sign", keyId, participants: signerParticipants(), serverNonce: hexToBytes(serverNonce), clientNonce: hexToBytes(clientNonce), messageHash: hexToBytes(messageHash.slice(2)), signers }),
  );
  return { sid, messageHash, signers, party, serverNonce, clientNonce, transaction };
}

const filled: TxJson = { chainId: 31337, nonce: 7, to: to.toLowerCase(), value: "250000000000000000", data: "0x", gas: "21000", maxFeePerGas: "2000000000", maxPriorityFeePerGas: "1000000000" };
const txIntent: SigningIntent = { kind: "transaction", chainId: 31337, to, value: 250000000000000000n, data: "0x" };
const txSession = () => honest(signingHash(txFromJson(filled)), filled);
const check = (session: SessionClaims, intent: SigningIntent = txIntent, party: number = PARTY_INDEX.user) => verifySigningSession(session, { keyId, party, clientNonce, intent });

function refused(fn: () => unknown, field: string, text?: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TamperedSessionError);
  expect((err as TamperedSessionError).field).toBe(field);
  if (text) expect((err as Error).message).toMatch(text);
}

describe("verifySigningSession", () => {
  it("accepts an honest transaction session and returns the values it computed itself", () => {
    const session = txSession();
    const v = check(session);
    expect(v.messageHash).toBe(signingHash(txFromJson(filled)));
    expect(v.sid).toBe(session.sid);
    expect(v.signers).toEqual([1, 2]);
    expect(v.transaction).toMatchObject({ chainId: 31337, nonce: 7, value: 250000000000000000n, gas: 21000n });
    // the agent's sessions are {0, 1}
    expect(check(honest(signingHash(txFromJson(filled)), filled, PARTY_INDEX.agent), txIntent, PARTY_INDEX.agent).signers).toEqual([0, 1]);
  });

  it("refuses a digest the server changed", () => {
    refused(() => check({ ...txSession(), messageHash: keccak256(toHex("something else")) }), "messageHash", /digest does not match the transaction/);
  });

  it("refuses a filled transaction that differs from the request, even with a consistent digest and sid", () => {
    const variants: [Partial<TxJson>, RegExp][] = [
      [{ to: "0x000000000000000000000000000000000000dEaD" }, /recipient/],
      [{ value: "250000000000000001" }, /value/],
      [{ data: "0xa9059cbb" }, /data/],
      [{ chainId: 1 }, /chain id/],
    ];
    for (const [change, text] of variants) {
      const forged = { ...filled, ...change };
      refused(() => check(honest(signingHash(txFromJson(forged)), forged)), "transaction", text);
    }
    // a nonce, gas or fee the client fixed must come back unchanged; ones it left open are the server's to fill
    refused(() => check(txSession(), { ...txIntent, nonce: 8 } as SigningIntent), "transaction", /nonce/);
    refused(() => check(txSession(), { ...txIntent, gas: "50000" } as SigningIntent), "transaction", /gas/);
    expect(check(txSession(), { ...txIntent, nonce: 7, maxFeePerGas: "2000000000" } as SigningIntent).sid).toBe(txSession().sid);
    // a transaction answered with a message session, and the reverse
    refused(() => check({ ...txSession(), transaction: null }), "kind");
    refused(() => check(txSession(), { kind: "message", message: "hi" }), "kind");
  });

  it("refuses a sid that does not derive from the nonces, signers and digest", () => {
    refused(() => check({ ...txSession(), sid: "ab".repeat(32) }), "sid");
    refused(() => check({ ...txSession(), serverNonce: "33".repeat(32) }), "sid");
    refused(() => check({ ...txSession(), serverNonce: undefined }), "nonce", /nonce/);
    refused(() => check({ ...txSession(), clientNonce: "44".repeat(32) }), "nonce", /echo/);
    refused(() => check({ ...txSession(), signers: [0, 1] }), "signers");
    refused(() => check({ ...txSession(), signers: [0, 1, 2] }), "signers");
    refused(() => check({ ...txSession(), party: 0 }), "signers");
  });

  it("recomputes EIP-191 and EIP-712 digests", () => {
    const message = { kind: "message", message: "I am the treasury bot" } as const;
    expect(check(honest(hashMessage("I am the treasury bot"), null), message).messageHash).toBe(hashMessage("I am the treasury bot"));
    refused(() => check(honest(hashMessage("I am the treasury bot!"), null), message), "messageHash", /message/);
    const typedData = {
      domain: { name: "Countersign", version: "1", chainId: 31337 },
      types: { Mail: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }] },
      primaryType: "Mail" as const,
      message: { to, amount: 42n },
    };
    const intent: SigningIntent = { kind: "typed_data", typedData };
    expect(check(honest(hashTypedData(typedData), null), intent).messageHash).toBe(hashTypedData(typedData));
    refused(() => check(honest(hashTypedData({ ...typedData, message: { to, amount: 43n } }), null), intent), "messageHash", /typed data/);
  });
});
