import { describe, expect, it } from "vitest";
import { decodeRequest } from "@/lib/policy/decode";
import { PolicyRequestError } from "@/lib/policy/errors";
import type { TypedDataRequest } from "@/lib/policy/types";
import {
  ALICE, BOB, DAI, MAX_UINT256, USDC, approveData, ethTx, increaseAllowanceData, personalMessage, tokenTx, transferData, transferFromData,
} from "./fixtures";

function permit(value: bigint | string, spender = BOB): TypedDataRequest {
  return {
    kind: "typed_data",
    typedData: {
      domain: { name: "USD Coin", version: "2", chainId: 1, verifyingContract: USDC },
      primaryType: "Permit",
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      message: { owner: ALICE, spender: spender.toLowerCase(), value: value.toString(), nonce: 0, deadline: "1900000000" },
    },
  };
}

describe("decodeRequest: transactions", () => {
  it("normalises a plain native transfer", () => {
    const d = decodeRequest(ethTx(BOB.toLowerCase() as `0x${string}`, 5n));
    expect(d).toMatchObject({ kind: "transaction", chainId: 1, to: BOB, value: 5n, selector: null, plainTransfer: true, token: null });
    expect(d.addresses).toEqual([BOB]);
  });

  it("decodes ERC-20 transfer with token = to", () => {
    const d = decodeRequest(tokenTx(USDC, transferData(BOB, 1234n)));
    expect(d.selector).toBe("0xa9059cbb");
    expect(d.token).toEqual({ method: "transfer", token: USDC, amount: 1234n, counterparty: BOB, unlimited: false });
    expect(d.args).toEqual({ to: BOB, amount: 1234n });
    expect(d.addresses).toEqual([USDC, BOB]);
  });

  it("decodes transferFrom with its source account", () => {
    const d = decodeRequest(tokenTx(USDC, transferFromData(ALICE, BOB, 9n)));
    expect(d.token).toEqual({ method: "transferFrom", token: USDC, amount: 9n, counterparty: BOB, from: ALICE, unlimited: false });
    expect(d.args).toEqual({ from: ALICE, to: BOB, amount: 9n });
  });

  it("flags unlimited approvals at max uint256 and at 2^255, not just below", () => {
    expect(decodeRequest(tokenTx(USDC, approveData(BOB, MAX_UINT256))).token?.unlimited).toBe(true);
    expect(decodeRequest(tokenTx(USDC, approveData(BOB, 1n << 255n))).token?.unlimited).toBe(true);
    expect(decodeRequest(tokenTx(USDC, approveData(BOB, (1n << 255n) - 1n))).token?.unlimited).toBe(false);
    expect(decodeRequest(tokenTx(USDC, increaseAllowanceData(BOB, MAX_UINT256))).token).toMatchObject({ method: "increaseAllowance", unlimited: true });
  });

  it("never flags transfers as unlimited approvals", () => {
    expect(decodeRequest(tokenTx(USDC, transferData(BOB, MAX_UINT256))).token?.unlimited).toBe(false);
  });

  it("reports truncated ERC-20 calldata instead of guessing", () => {
    const truncated = transferData(BOB, 1n).slice(0, 40) as `0x${string}`;
    const d = decodeRequest(tokenTx(USDC, truncated));
    expect(d.token).toBeNull();
    expect(d.calldataError).toBe("calldata for transfer(address,uint256) could not be decoded");
    expect(d.selector).toBe("0xa9059cbb");
  });

  it("decodes as the token contract would: trailing bytes ignored, so padding cannot hide an amount", () => {
    const padded = `${transferData(BOB, 77n)}${"00".repeat(33)}` as `0x${string}`;
    expect(decodeRequest(tokenTx(USDC, padded)).token).toMatchObject({ method: "transfer", amount: 77n, counterparty: BOB });
  });

  it("treats calldata shorter than a selector as having no selector", () => {
    const d = decodeRequest(tokenTx(USDC, "0xa905"));
    expect(d).toMatchObject({ selector: null, plainTransfer: false });
  });

  it("rejects malformed requests with PolicyRequestError", () => {
    expect(() => decodeRequest(ethTx("0x12" as `0x${string}`, 1n))).toThrow(PolicyRequestError);
    expect(() => decodeRequest(tokenTx(USDC, "0xzz" as `0x${string}`))).toThrow(PolicyRequestError);
    expect(() => decodeRequest({ kind: "transaction", chainId: 0, to: BOB })).toThrow(/chainId/);
  });
});

describe("decodeRequest: messages and typed data", () => {
  it("keeps EIP-191 text and its raw bytes", () => {
    const d = decodeRequest(personalMessage);
    expect(d.kind).toBe("message");
    expect(d.message).toEqual({ standard: "eip191", text: "Sign in to Example", raw: "0x5369676e20696e20746f204578616d706c65" });
    expect(d.value).toBe(0n);
    expect(d.token).toBeNull();
  });

  it("decodes an EIP-2612 permit as an allowance grant on the verifying contract", () => {
    const d = decodeRequest(permit(500n));
    expect(d.to).toBe(USDC);
    expect(d.chainId).toBe(1);
    expect(d.token).toEqual({ method: "permit", token: USDC, amount: 500n, counterparty: BOB, from: ALICE, unlimited: false });
    expect(d.args).toMatchObject({ owner: ALICE, spender: BOB, value: 500n, nonce: 0n, deadline: 1_900_000_000n });
    expect(d.message).toEqual({ standard: "eip712", primaryType: "Permit", domainName: "USD Coin" });
    expect(decodeRequest(permit(MAX_UINT256)).token?.unlimited).toBe(true);
  });

  it("decodes DAI-style permits with allowed=true as unlimited", () => {
    const dai: TypedDataRequest = {
      kind: "typed_data",
      typedData: {
        domain: { name: "Dai Stablecoin", version: "1", chainId: 1, verifyingContract: DAI },
        primaryType: "Permit",
        types: {
          Permit: [
            { name: "holder", type: "address" },
            { name: "spender", type: "address" },
            { name: "nonce", type: "uint256" },
            { name: "expiry", type: "uint256" },
            { name: "allowed", type: "bool" },
          ],
        },
        message: { holder: ALICE, spender: BOB, nonce: 1, expiry: 0, allowed: true },
      },
    };
    expect(decodeRequest(dai).token).toMatchObject({ method: "permit", token: DAI, counterparty: BOB, from: ALICE, unlimited: true });
  });
});
