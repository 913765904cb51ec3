import { describe, expect, it } from "vitest";
import { decodeFunctionData, getAddress, keccak256, toHex, zeroAddress, type Hex } from "viem";
import { approvalChallengeBytes } from "@/lib/approvals/binding";
import { toClearSigningJson } from "@/lib/approvals/clear-signing";
import { UnprocessableError, validateIntent } from "@/lib/approvals/drafts";
import { notificationJson } from "@/lib/approvals/present";
import { approvalSubjectOf } from "@/lib/approvals/parked";
import { passkeyRequired } from "@/lib/approvals/settings";
import { assertTransition, canTransition, failureStatusFor, InvalidTransitionError, isTerminal, REQUEST_STATUSES, statusAfterResponse } from "@/lib/approvals/state";
import { buildSafeTransaction, encodeMultiSendTransactions, MULTI_SEND_ABI, packSignatures, safeTxHash, UnsupportedSafeVersionError, withEthSignV } from "@/lib/safe/transaction";
import { seed, seedErrors } from "./seed-schemas";

const A = getAddress("0x00000000000000000000000000000000000000aa");
const B = getAddress("0x00000000000000000000000000000000000000bb");
const MS = getAddress("0xA83c336B20401Af773B6219BA5027174338D1836");

describe("request status machine", () => {
  it("allows exactly the seed's paths", () => {
    expect(canTransition("pending_human", "proposing")).toBe(true);
    expect(canTransition("pending_human", "rejected_by_human")).toBe(true);
    expect(canTransition("proposing", "proposed")).toBe(true);
    expect(canTransition("proposed", "executing")).toBe(true);
    expect(canTransition("executing", "executed")).toBe(true);
    expect(canTransition("executing", "execution_failed")).toBe(true);
    expect(canTransition("proposing", "proposal_failed")).toBe(true);
    expect(canTransition("pending_human", "executed")).toBe(false);
    expect(canTransition("rejected_by_human", "proposing")).toBe(false);
    expect(canTransition("executed", "execution_failed")).toBe(false);
    expect(() => assertTransition("executed", "proposing")).toThrow(InvalidTransitionError);
    expect(() => assertTransition("nonsense", "proposing")).toThrow(InvalidTransitionError);
    expect(REQUEST_STATUSES.filter(isTerminal).sort()).toEqual(["executed", "execution_failed", "proposal_failed", "rejected_by_human"]);
    expect(statusAfterResponse("accepted")).toBe("proposing");
    expect(statusAfterResponse("rejected")).toBe("rejected_by_human");
    expect(failureStatusFor("proposed")).toBe("proposal_failed");
    expect(failureStatusFor("executing")).toBe("execution_failed");
  });
});

describe("Safe transactions (pure)", () => {
  it("one call is a CALL; several are one DELEGATECALL to MultiSendCallOnly with the packed encoding", () => {
    const one = buildSafeTransaction([{ to: A, value: 5n, data: "0x" }], { nonce: 3n, multiSendCallOnly: MS });
    expect(one).toMatchObject({ to: A, value: 5n, data: "0x", operation: 0, nonce: 3n, gasToken: zeroAddress });
    const calls = [
      { to: A, value: 1n, data: "0x" as Hex },
      { to: B, value: 0n, data: "0xa9059cbb" as Hex },
    ];
    const many = buildSafeTransaction(calls, { nonce: 0n, multiSendCallOnly: MS });
    expect(many).toMatchObject({ to: MS, value: 0n, operation: 1 });
    const { args } = decodeFunctionData({ abi: MULTI_SEND_ABI, data: many.data });
    const packed = encodeMultiSendTransactions(calls);
    expect(args[0]).toBe(packed);
    // operation(1) ‖ to(20) ‖ value(32) ‖ length(32) ‖ data
    expect(packed.slice(2, 4)).toBe("00");
    expect(packed.slice(4, 44)).toBe(A.slice(2).toLowerCase());
    expect(BigInt(`0x${packed.slice(44, 108)}`)).toBe(1n);
    expect(BigInt(`0x${packed.slice(108, 172)}`)).toBe(0n);
    expect(() => buildSafeTransaction([], { nonce: 0n, multiSendCallOnly: MS })).toThrow();
  });

  it("hashes per chain and Safe; refuses pre-1.3 Safes", () => {
    const tx = buildSafeTransaction([{ to: A, value: 1n, data: "0x" }], { nonce: 0n, multiSendCallOnly: MS });
    const h1 = safeTxHash({ version: "1.5.0", chainId: 1, safeAddress: B, tx });
    expect(h1).toMatch(/^0x[0-9a-f]{64}$/);
    expect(safeTxHash({ version: "1.5.0", chainId: 2, safeAddress: B, tx })).not.toBe(h1);
    expect(safeTxHash({ version: "1.4.1", chainId: 1, safeAddress: A, tx })).not.toBe(h1);
    expect(() => safeTxHash({ version: "1.2.0", chainId: 1, safeAddress: B, tx })).toThrow(UnsupportedSafeVersionError);
  });

  it("packs owner signatures in ascending owner order; eth_sign signatures get v + 4", () => {
    const sigA = `0x${"11".repeat(64)}1b` as Hex;
    const sigB = `0x${"22".repeat(64)}1c` as Hex;
    expect(packSignatures([{ owner: B, signature: sigB }, { owner: A, signature: sigA }])).toBe(`${sigA}${sigB.slice(2)}`);
    expect(() => packSignatures([{ owner: A, signature: sigA }, { owner: A, signature: sigB }])).toThrow();
    expect(withEthSignV(sigA).slice(-2)).toBe("1f");
  });
});

describe("approval rules (pure)", () => {
  it("passkey threshold: strictly above needs the passkey", () => {
    expect(passkeyRequired("1", "0")).toBe(true);
    expect(passkeyRequired("0", "0")).toBe(false);
    expect(passkeyRequired("1000", "1000")).toBe(false);
    expect(passkeyRequired("1001", "1000")).toBe(true);
    // Contract calls and signatures always need the passkey, whatever their native value.
    expect(passkeyRequired("0", "1000", { callsContract: true })).toBe(true);
    expect(approvalSubjectOf({ kind: "transaction", chainId: 1, to: A, value: "5", data: "0x" })).toEqual({ valueWei: "5", callsContract: false });
    expect(approvalSubjectOf({ kind: "transaction", chainId: 1, to: A, value: "0", data: "0xa9059cbb" })).toEqual({ valueWei: "0", callsContract: true });
    expect(approvalSubjectOf({ kind: "message", message: "hi" })).toEqual({ valueWei: "0", callsContract: true });
  });

  it("the WebAuthn challenge commits to request id, hash and nonce", () => {
    const h = keccak256(toHex("tx"));
    const base = Buffer.from(approvalChallengeBytes("req_1", h, "n1")).toString("hex");
    expect(Buffer.from(approvalChallengeBytes("req_1", h.toUpperCase().replace("0X", "0x"), "n1")).toString("hex")).toBe(base);
    expect(Buffer.from(approvalChallengeBytes("req_2", h, "n1")).toString("hex")).not.toBe(base);
    expect(Buffer.from(approvalChallengeBytes("req_1", keccak256(toHex("other")), "n1")).toString("hex")).not.toBe(base);
    expect(Buffer.from(approvalChallengeBytes("req_1", h, "n2")).toString("hex")).not.toBe(base);
  });

  it("intents are on one chain, the Safe's, with decimal values", () => {
    expect(validateIntent([{ chainId: 5, to: A, data: "0x", value: "1" }, { chainId: 5, to: B, data: "0x", value: "2" }], 5)).toBe(3n);
    expect(() => validateIntent([{ chainId: 5, to: A, data: "0x", value: "1" }, { chainId: 6, to: B, data: "0x", value: "2" }], 5)).toThrow(UnprocessableError);
    expect(() => validateIntent([{ chainId: 6, to: A, data: "0x", value: "1" }], 5)).toThrow(UnprocessableError);
    expect(() => validateIntent([{ chainId: 5, to: A, data: "0x", value: "0x10" }], 5)).toThrow(/decimal/);
  });
});

describe("seed 004 schemas", () => {
  it("parses every non-turnkey route of the seed with its sections", () => {
    const routes = Object.keys(seed).filter((r) => !r.includes("/turnkey/"));
    expect(routes.sort()).toEqual(
      [
        "GET /api/pairing-info",
        "POST /api/devices",
        "GET /api/devices",
        "DELETE /api/devices/:id",
        "GET /api/notifications",
        "GET /api/notifications/:id",
        "POST /api/drafts",
        "POST /api/requests",
        "GET /api/requests",
        "GET /api/requests/:id",
        "POST /api/responses",
      ].sort(),
    );
    expect(Object.keys(seed["POST /api/requests"]!)).toEqual(["Request Body", "Response 202", "Response 400", "Response 404", "Response 409", "Response 410", "Response 500", "Response 503"]);
  });

  it("validation has teeth: extra members, wrong types and missing members fail", () => {
    const n = notificationJson({ id: "ntf_1", requestId: "req_1", message: "m", createdAt: new Date(1), response: null });
    expect(seedErrors("GET /api/notifications", "Response 200", [n])).toEqual([]);
    expect(seedErrors("GET /api/notifications", "Response 200", [{ ...n, extra: 1 }])).not.toEqual([]);
    expect(seedErrors("GET /api/notifications", "Response 200", [{ ...n, createdAt: "yesterday" }])).not.toEqual([]);
    const detail = { ...n, approval: null, turnkeyExecution: null };
    expect(seedErrors("GET /api/notifications/:id", "Response 200", detail)).toEqual([]);
    expect(seedErrors("GET /api/notifications/:id", "Response 200", { ...detail, extra: true })).not.toEqual([]);
    expect(seedErrors("GET /api/notifications/:id", "Response 200", { ...n, approval: null })).not.toEqual([]);
    expect(seedErrors("POST /api/requests", "Response 409", { error: "x" })).toEqual([]);
    expect(seedErrors("POST /api/requests", "Response 409", { statusCode: 409, message: "x" })).not.toEqual([]);
  });

  it("clear-signing results map to the seed's action results", () => {
    const json = toClearSigningJson([
      { resolved: true, intent: "Send", fields: [], description: "Send 1 ETH to 0xaa…aa", descriptorSource: "vendor", descriptorId: "native-transfer", protocolTag: "ETH", bindingKind: "calldata" },
      { resolved: false, reason: "no descriptor", to: A },
    ]);
    expect(json).toEqual({
      actionResults: [
        { resolved: true, descriptorId: "native-transfer", description: "Send 1 ETH to 0xaa…aa", protocolTag: "ETH", bindingKind: "calldata", source: "vendor" },
        { resolved: false, reason: "no descriptor" },
      ],
      aggregatedDescription: "Send 1 ETH to 0xaa…aa and 1 more action",
    });
  });
});
