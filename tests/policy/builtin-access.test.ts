import { describe, expect, it } from "vitest";
import { evaluateBuiltins } from "@/lib/policy/builtin";
import { decodeRequest } from "@/lib/policy/decode";
import type { ActivePolicy, PolicyRequest, TypedDataRequest } from "@/lib/policy/types";
import {
  ALICE, BOB, MALLORY, NOON_UTC, ROUTER, USDC, approveData, ethTx, personalMessage, policy, tokenTx, transferData, transferFromData, usage,
} from "./fixtures";

function check(p: ActivePolicy, request: PolicyRequest) {
  return evaluateBuiltins([p], { decoded: decodeRequest(request), usage: usage(), now: NOON_UTC });
}

const order = (verifyingContract: `0x${string}` | undefined, taker: `0x${string}`): TypedDataRequest => ({
  kind: "typed_data",
  typedData: {
    domain: verifyingContract ? { name: "Exchange", chainId: 1, verifyingContract } : { name: "Login" },
    primaryType: "Order",
    types: { Order: [{ name: "taker", type: "address" }, { name: "amount", type: "uint256" }] },
    message: { taker, amount: "5" },
  },
});

describe("allowed_contracts", () => {
  const allow = policy("allowed_contracts", { addresses: [USDC, ROUTER.toLowerCase()] }, "contracts");

  it("admits listed targets (any input case) and refuses others", () => {
    expect(check(allow, tokenTx(USDC, transferData(BOB, 1n)))).toEqual([]);
    expect(check(allow, ethTx(ROUTER, 1n))).toEqual([]);
    expect(check(allow, ethTx(BOB, 1n))).toEqual([
      { policyId: "contracts", type: "allowed_contracts", message: `Contract ${BOB} is not in the allowed contracts list` },
    ]);
  });

  it("refuses contract deployment", () => {
    expect(check(allow, { kind: "transaction", chainId: 1, to: null, data: "0x6080" })[0]?.message).toBe(
      "Contract deployment is not in the allowed contracts list",
    );
  });

  it("checks the verifying contract of typed data, and ignores plain messages", () => {
    expect(check(allow, order(ROUTER, BOB))).toEqual([]);
    expect(check(allow, order(MALLORY, BOB))[0]?.message).toBe(`Typed data for contract ${MALLORY} is not in the allowed contracts list`);
    expect(check(allow, order(undefined, BOB))).toEqual([]);
    expect(check(allow, personalMessage)).toEqual([]);
  });
});

describe("allowed_functions", () => {
  const fns = policy("allowed_functions", { selectors: ["transfer(address,uint256)", "0x095ea7b3"] }, "fns");

  it("admits listed selectors and names the refused function", () => {
    expect(check(fns, tokenTx(USDC, transferData(BOB, 1n)))).toEqual([]);
    expect(check(fns, tokenTx(USDC, approveData(BOB, 1n)))).toEqual([]);
    expect(check(fns, tokenTx(USDC, transferFromData(ALICE, BOB, 1n)))).toEqual([
      { policyId: "fns", type: "allowed_functions", message: "Function transferFrom(address,address,uint256) (0x23b872dd) is not in the allowed functions list" },
    ]);
    expect(check(fns, tokenTx(ROUTER, "0xdeadbeef00"))[0]?.message).toBe("Function 0xdeadbeef is not in the allowed functions list");
  });

  it("lets plain transfers through unless configured otherwise, and refuses selector-less calldata", () => {
    expect(check(fns, ethTx(BOB, 1n))).toEqual([]);
    const strict = policy("allowed_functions", { selectors: ["transfer(address,uint256)"], allowNativeTransfers: false });
    expect(check(strict, ethTx(BOB, 1n))[0]?.message).toBe("Plain native transfers are not in the allowed functions list");
    expect(check(fns, tokenTx(ROUTER, "0xa9"))[0]?.message).toBe("Calldata is too short to carry a function selector");
  });

  it("does not fire for messages or typed data", () => {
    expect(check(fns, personalMessage)).toEqual([]);
    expect(check(fns, order(ROUTER, BOB))).toEqual([]);
  });
});

describe("blocked_addresses", () => {
  const blocked = policy("blocked_addresses", { addresses: [MALLORY] }, "blocked");

  it("catches the target, a decoded recipient, a spender and a transferFrom source", () => {
    const message = { policyId: "blocked", type: "blocked_addresses", message: `Address ${MALLORY} is blocked` };
    expect(check(blocked, ethTx(MALLORY, 1n))).toEqual([message]);
    expect(check(blocked, tokenTx(USDC, transferData(MALLORY, 1n)))).toEqual([message]);
    expect(check(blocked, tokenTx(USDC, approveData(MALLORY, 1n)))).toEqual([message]);
    expect(check(blocked, tokenTx(USDC, transferFromData(MALLORY, BOB, 1n)))).toEqual([message]);
    expect(check(blocked, ethTx(BOB, 1n))).toEqual([]);
  });

  it("catches address fields inside typed data", () => {
    expect(check(blocked, order(ROUTER, MALLORY))[0]?.message).toBe(`Address ${MALLORY} is blocked`);
    const both = policy("blocked_addresses", { addresses: [MALLORY, ROUTER] });
    expect(check(both, order(ROUTER, MALLORY))[0]?.message).toBe(`Addresses ${ROUTER}, ${MALLORY} are blocked`);
  });
});
