/**
 * The browser's signing worker (lib/signing/browser/sign-runner.ts) checks the session again on the
 * exact data it signs: a digest, transaction or sid that does not match the user's intent is refused
 * before the user's party runs, and no round is posted.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { keccak256, toHex, type Hex } from "viem";
import { signingHash } from "@/lib/chain/tx-codec";
import { encodeKeyShare, FAST_TEST } from "@/lib/mpc";
import { deriveSid } from "@/lib/mpc/transcript";
import { newIdentityKey, verifyMessage, type SignedMessage } from "@/lib/signing/message-auth";
import { dealtShare } from "../sdk/fixtures";
import { createSignRunner } from "@/lib/signing/browser/sign-runner";
import type { SignWorkerRequest, SignWorkerResponse, SignWorkerStart } from "@/lib/signing/browser/messages";
import { signerParticipants } from "@/lib/signing/participants";
import { txFromJson, type TxJson } from "@/lib/signing/transaction-json";


const share = dealtShare(2, 0x5eedn);
const signerId = "9a3c1e2b-7d4f-4c1a-8e2b-3f4a5b6c7d8e";
const clientNonce = "5a".repeat(32);
const serverNonce = "a5".repeat(32);
const to = "0x000000000000000000000000000000000000bEEF";
const identity = newIdentityKey();
const serverIdentityKey = newIdentityKey().publicKey;
const filled: TxJson = { chainId: 31337, nonce: 3, to: to.toLowerCase(), value: "1000", data: "0x", gas: "21000", maxFeePerGas: "3000000000", maxPriorityFeePerGas: "1000000000" };

function honestSession(tx: TxJson, messageHash: Hex = signingHash(txFromJson(tx))) {
  const sid = bytesToHex(
    deriveSid({ protocol: "sign", keyId: signerId, participants: signerParticipants(), serverNonce: hexToBytes(serverNonce), clientNonce: hexToBytes(clientNonce), messageHash: hexToBytes(messageHash.slice(2)), signers: [1, 2] }),
  );
  return { sessionId: "c0ffee00-0000-4000-8000-000000000000", sid, messageHash, serverNonce, clientNonce, signers: [1, 2], party: 2, identities: { "1": serverIdentityKey, "2": identity.publicKey }, transaction: tx, messages: [] };
}

async function run(session: SignWorkerStart["session"]) {
  const posted: SignWorkerResponse[] = [];
  const fetchSpy = vi.fn(async () => new Response("{}", { status: 500 }));
  vi.stubGlobal("fetch", fetchSpy);
  const req: SignWorkerRequest = {
    type: "start",
    signerId,
    publicKey: share.core.publicKey,
    profile: FAST_TEST.name,
    share: encodeKeyShare(share),
    session,
    intent: { kind: "transaction", chainId: 31337, to, value: "1000", data: "0x" },
    clientNonce,
    identity,
  };
  await createSignRunner((m) => posted.push(m))(req);
  return { posted, fetchSpy };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the browser's signing worker", () => {
  it("refuses a digest, a transaction or a sid it did not compute, before its party posts a round", async () => {
    const forged = { ...filled, to: "0x000000000000000000000000000000000000dead" };
    const cases: [SignWorkerStart["session"], RegExp][] = [
      [{ ...honestSession(filled), messageHash: keccak256(toHex("pay the attacker")) }, /digest does not match/],
      [honestSession(forged), /transaction differs from the one requested/],
      [{ ...honestSession(filled), sid: "ab".repeat(32) }, /session id does not derive/],
      [{ ...honestSession(filled), serverNonce: undefined }, /nonce/],
      [{ ...honestSession(filled), identities: { "1": serverIdentityKey, "2": newIdentityKey().publicKey } }, /identity key/],
    ];
    for (const [session, text] of cases) {
      const { posted, fetchSpy } = await run(session);
      expect(posted).toHaveLength(1);
      expect(posted[0]).toMatchObject({ type: "error" });
      expect((posted[0] as { message: string }).message).toMatch(/^Refused to sign: /);
      expect((posted[0] as { message: string }).message).toMatch(text);
      expect(fetchSpy).not.toHaveBeenCalled();
    }
  });

  it("runs its party on an honest session (the first round goes to the server)", async () => {
    const { posted, fetchSpy } = await run(honestSession(filled));
    expect(fetchSpy).toHaveBeenCalled();
    const [url, init] = fetchSpy.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`/api/v1/signers/${signerId}/sign/round`);
    const body = JSON.parse(String(init.body)) as { messages: SignedMessage[] };
    expect(body).toMatchObject({ sessionId: "c0ffee00-0000-4000-8000-000000000000", seq: 1 });
    // every message it sends is signed with the session's identity
    expect(body.messages.length).toBeGreaterThan(0);
    for (const m of body.messages) expect(verifyMessage(m, identity.publicKey)).toBe(true);
    // the stubbed server answers 500, so the worker reports that failure rather than a refusal
    expect(posted.at(-1)).toMatchObject({ type: "error" });
    expect((posted.at(-1) as { message: string }).message).not.toMatch(/Refused to sign/);
  });
});
