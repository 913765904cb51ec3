import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { StaticDataProvider } from "@/lib/clearsign/data-provider";
import { DecodeError, DescriptorError, FormatNotFoundError } from "@/lib/clearsign/errors";
import { encodeType, renderTypedData, type TypedDataInput } from "@/lib/clearsign/typed-data";
import type { Descriptor } from "@/lib/clearsign/types";
import { ALICE, BOB, TOKEN } from "./helpers";

const PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3";

const typed: TypedDataInput = {
  types: {
    EIP712Domain: [
      { name: "name", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
    ],
    PermitSingle: [
      { name: "details", type: "PermitDetails" },
      { name: "spender", type: "address" },
      { name: "sigDeadline", type: "uint256" },
    ],
    PermitDetails: [
      { name: "token", type: "address" },
      { name: "amount", type: "uint160" },
      { name: "expiration", type: "uint48" },
      { name: "nonce", type: "uint48" },
    ],
  },
  primaryType: "PermitSingle",
  domain: { name: "Permit2", chainId: 1, verifyingContract: PERMIT2 },
  message: {
    details: { token: TOKEN, amount: "2500000", expiration: 1_782_897_536, nonce: 0 },
    spender: BOB,
    sigDeadline: "0x6a44d2c0",
  },
};

const permitKey =
  "PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)";

const descriptor = {
  context: { eip712: { deployments: [{ chainId: 1, address: PERMIT2 }], domain: { name: "Permit2" } } },
  metadata: { owner: "Uniswap Labs" },
  display: {
    formats: {
      [permitKey]: {
        intent: "Authorize spending of token",
        interpolatedIntent: "Allow {spender} to spend {details.amount}",
        fields: [
          { path: "spender", label: "Spender", format: "addressName" },
          { path: "details.amount", label: "Amount allowance", format: "tokenAmount", params: { tokenPath: "details.token" } },
          { path: "details.expiration", label: "Approval expires", format: "date", params: { encoding: "timestamp" } },
          { path: "details.nonce", label: "Nonce", visible: "never" },
          { path: "@.from", label: "Signer", format: "addressName" },
        ],
      },
    },
  },
} as unknown as Descriptor;

const provider = new StaticDataProvider({
  tokens: { [TOKEN]: { symbol: "TKN", decimals: 6 } },
  ensNames: { [BOB]: "router.eth" },
});

describe("EIP-712 typed data", () => {
  it("computes encodeType with referenced types in alphabetical order", () => {
    expect(encodeType(typed.types, "PermitSingle")).toBe(permitKey);
    expect(() => encodeType(typed.types, "Missing")).toThrow(DecodeError);
  });

  it("renders a message through the format keyed by its encodeType", async () => {
    expect(await renderTypedData(descriptor, typed, { provider, from: ALICE })).toEqual({
      intent: "Authorize spending of token",
      owner: "Uniswap Labs",
      fields: [
        { label: "Spender", value: "router.eth" },
        { label: "Amount allowance", value: "2.5 TKN" },
        { label: "Approval expires", value: "2026-07-01 09:18:56Z" },
        { label: "Signer", value: getAddress(ALICE) },
      ],
      interpolatedIntent: "Allow router.eth to spend 2.5 TKN",
    });
  });

  it("accepts v1 descriptors keyed by the primary type name", async () => {
    const v1 = { ...descriptor, display: { formats: { PermitSingle: { intent: "Permit", fields: [{ path: "sigDeadline", label: "Deadline" }] } } } } as Descriptor;
    expect((await renderTypedData(v1, typed)).fields).toEqual([{ label: "Deadline", value: String(0x6a44d2c0) }]);
  });

  it("enforces the descriptor's deployments and domain constraints", async () => {
    await expect(renderTypedData(descriptor, { ...typed, domain: { ...typed.domain, chainId: 10 } })).rejects.toThrow(DescriptorError);
    await expect(renderTypedData(descriptor, { ...typed, domain: { ...typed.domain, verifyingContract: BOB } })).rejects.toThrow(DescriptorError);
    await expect(renderTypedData(descriptor, { ...typed, domain: { ...typed.domain, name: "Evil" } })).rejects.toThrow(/domain name/);
    const calldataOnly = { ...descriptor, context: { contract: {} } } as Descriptor;
    await expect(renderTypedData(calldataOnly, typed)).rejects.toThrow(/context.eip712/);
  });

  it("rejects unknown types and messages that do not match their type", async () => {
    await expect(renderTypedData(descriptor, { ...typed, types: { ...typed.types, PermitSingle: [{ name: "spender", type: "address" }] }, message: { spender: BOB } })).rejects.toThrow(FormatNotFoundError);
    await expect(renderTypedData(descriptor, { ...typed, message: { ...typed.message, spender: 12 } })).rejects.toThrow(DecodeError);
  });
});
