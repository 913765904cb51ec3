import { describe, expect, it } from "vitest";
import { serializeTransaction } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signsDraft } from "@/lib/turnkey/execute";
import { activityMismatch } from "@/lib/turnkey/requests";
import { setupStatusAt } from "@/lib/turnkey/state";

const account = privateKeyToAccount(generatePrivateKey());
const tx = { type: "eip1559" as const, chainId: 31337, nonce: 3, to: account.address, value: 5n, gas: 21000n, maxFeePerGas: 10n, maxPriorityFeePerGas: 1n };
const unsigned = serializeTransaction(tx);

describe("signsDraft", () => {
  it("accepts the drafted transaction with a signature, refuses any other", async () => {
    expect(signsDraft(await account.signTransaction(tx), unsigned)).toBe(true);
    expect(signsDraft(await account.signTransaction({ ...tx, value: 6n }), unsigned)).toBe(false);
    expect(signsDraft(await account.signTransaction({ ...tx, nonce: 4 }), unsigned)).toBe(false);
    expect(signsDraft("0xdeadbeef", unsigned)).toBe(false);
  });
});

describe("activityMismatch", () => {
  const expected = { fingerprint: "sha256:aa", unsignedTransaction: unsigned, walletAddress: account.address, agentUserId: "agent-user" };
  const activity = {
    status: "ACTIVITY_STATUS_CONSENSUS_NEEDED",
    type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    fingerprint: "sha256:aa",
    intent: { signTransactionIntentV2: { signWith: account.address.toLowerCase(), unsignedTransaction: unsigned.slice(2).toUpperCase(), type: "TRANSACTION_TYPE_ETHEREUM" } },
    votes: [{ userId: "agent-user", selection: "VOTE_SELECTION_APPROVED" }],
  } as never as Parameters<typeof activityMismatch>[0];

  it("accepts the drafted transaction (hex case and 0x prefix aside)", () => {
    expect(activityMismatch(activity, expected)).toBeNull();
  });

  it("names each mismatch, with 409 only for an activity no longer waiting for consensus", () => {
    const v = (patch: object) => activityMismatch({ ...activity, ...patch } as never, expected);
    expect(v({ fingerprint: "sha256:bb" })).toMatchObject({ status: 400, message: expect.stringMatching(/fingerprint/) });
    expect(v({ type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2" })).toMatchObject({ status: 400 });
    expect(v({ intent: { signTransactionIntentV2: { ...activity.intent.signTransactionIntentV2!, signWith: privateKeyToAccount(generatePrivateKey()).address } } })).toMatchObject({ status: 400, message: expect.stringMatching(/paired wallet/) });
    expect(v({ intent: { signTransactionIntentV2: { ...activity.intent.signTransactionIntentV2!, unsignedTransaction: serializeTransaction({ ...tx, value: 6n }) } } })).toMatchObject({ status: 400, message: expect.stringMatching(/another transaction/) });
    expect(v({ votes: [{ userId: "provider-user", selection: "VOTE_SELECTION_APPROVED" }] })).toMatchObject({ status: 400, message: expect.stringMatching(/agent's Turnkey user/) });
    expect(v({ status: "ACTIVITY_STATUS_COMPLETED" })).toMatchObject({ status: 409 });
  });
});

describe("setupStatusAt", () => {
  it("is completed once completed, else pending until expiresAt, then expired", () => {
    const now = new Date("2026-12-07T00:00:00Z");
    expect(setupStatusAt({ status: "completed", expiresAt: new Date(now.getTime() - 1) }, now)).toBe("completed");
    expect(setupStatusAt({ status: "creating", expiresAt: new Date(now.getTime() + 1) }, now)).toBe("pending");
    expect(setupStatusAt({ status: "pending", expiresAt: now }, now)).toBe("expired");
  });
});
