import { describe, expect, it } from "vitest";
import { evaluateBuiltins, spendOf, usageOf } from "@/lib/policy/builtin";
import { decodeRequest } from "@/lib/policy/decode";
import { PolicyRequestError } from "@/lib/policy/errors";
import type { ActivePolicy, PolicyRequest, UsageSnapshot } from "@/lib/policy/types";
import {
  ALICE, BOB, DAI, MAX_UINT256, NOON_UTC, USDC, approveData, eth, ethTx, increaseAllowanceData, personalMessage, policy,
  tokenTx, transferData, transferFromData, usage,
} from "./fixtures";

const USDC_REF = { address: USDC, decimals: 6, symbol: "USDC" };

function check(p: ActivePolicy | ActivePolicy[], request: PolicyRequest, u: UsageSnapshot = usage()) {
  return evaluateBuiltins(Array.isArray(p) ? p : [p], { decoded: decodeRequest(request), usage: u, now: NOON_UTC });
}

describe("spending_limit", () => {
  const limit = policy("spending_limit", { maxAmount: eth("1").toString() }, "spend");

  it("passes exactly at the limit and fails one wei over", () => {
    expect(check(limit, ethTx(BOB, eth("1")))).toEqual([]);
    expect(check(limit, ethTx(BOB, eth("1") + 1n))).toEqual([
      { policyId: "spend", type: "spending_limit", message: "Transaction exceeds spending limit of 1.0 ETH" },
    ]);
  });

  it("does not fire for message signing", () => {
    expect(check(policy("spending_limit", { maxAmount: "0" }), personalMessage)).toEqual([]);
  });

  it("counts token amounts decoded from transfer, transferFrom and approve calldata", () => {
    const usdc = policy("spending_limit", { maxAmount: "1000000", token: USDC_REF }, "usdc");
    for (const data of [transferData(BOB, 1_000_000n), transferFromData(ALICE, BOB, 1_000_000n), approveData(BOB, 1_000_000n)]) {
      expect(check(usdc, tokenTx(USDC, data))).toEqual([]);
    }
    for (const data of [transferData(BOB, 1_000_001n), transferFromData(ALICE, BOB, 1_000_001n), approveData(BOB, 1_000_001n)]) {
      expect(check(usdc, tokenTx(USDC, data))).toEqual([
        { policyId: "usdc", type: "spending_limit", message: "Transaction exceeds spending limit of 1.0 USDC" },
      ]);
    }
  });

  it("ignores other tokens and native value for a token limit", () => {
    const usdc = policy("spending_limit", { maxAmount: "1", token: USDC_REF });
    expect(check(usdc, tokenTx(DAI, transferData(BOB, 10n ** 24n)))).toEqual([]);
    expect(check(usdc, ethTx(BOB, eth("100")))).toEqual([]);
  });

  it("shows base units when the token's decimals are unknown", () => {
    const raw = policy("spending_limit", { maxAmount: "10", token: DAI });
    expect(check(raw, tokenTx(DAI, transferData(BOB, 11n)))[0]?.message).toBe(
      "Transaction exceeds spending limit of 10 base units of 0x6B17…1d0F",
    );
  });

  it("refuses undecodable calldata aimed at a limited token", () => {
    const usdc = policy("spending_limit", { maxAmount: "1", token: USDC_REF });
    const truncated = transferData(BOB, 1n).slice(0, 50) as `0x${string}`;
    expect(check(usdc, tokenTx(USDC, truncated))[0]?.message).toBe(
      "Token limit cannot be enforced: calldata for transfer(address,uint256) could not be decoded",
    );
  });
});

describe("unlimited approvals", () => {
  it("are blocked by default on a token limit, whatever the function", () => {
    const usdc = policy("spending_limit", { maxAmount: "1000000", token: USDC_REF }, "usdc");
    expect(check(usdc, tokenTx(USDC, approveData(BOB, MAX_UINT256)))).toEqual([
      { policyId: "usdc", type: "spending_limit", message: "Unlimited approval of USDC to 0x2222…2222 is blocked" },
    ]);
    expect(check(usdc, tokenTx(USDC, increaseAllowanceData(BOB, 1n << 255n)))).toHaveLength(1);
  });

  it("pass uncounted when the token limit opts out", () => {
    const usdc = policy("daily_limit", { maxAmount: "1", token: USDC_REF, blockUnlimitedApprovals: false });
    const request = tokenTx(USDC, approveData(BOB, MAX_UINT256));
    expect(check(usdc, request, usage({ rolling24h: { [USDC]: 1n } }))).toEqual([]);
    expect(spendOf(request)).toEqual([]);
  });

  it("are blocked for every token by a native limit with the flag set, and only then", () => {
    const guard = policy("spending_limit", { maxAmount: eth("1").toString(), blockUnlimitedApprovals: true }, "guard");
    const plain = policy("spending_limit", { maxAmount: eth("1").toString() });
    const request = tokenTx(DAI, approveData(BOB, MAX_UINT256));
    expect(check([guard, plain], request)).toEqual([
      { policyId: "guard", type: "spending_limit", message: "Unlimited approval of 0x6B17…1d0F to 0x2222…2222 is blocked" },
    ]);
  });
});

describe("daily_limit", () => {
  const daily = policy("daily_limit", { maxAmount: eth("5").toString() }, "daily");

  it("adds the request to the rolling 24 h spend: at the limit passes, one wei over fails", () => {
    const spent = usage({ rolling24h: { native: eth("4.5") } });
    expect(check(daily, ethTx(BOB, eth("0.5")), spent)).toEqual([]);
    expect(check(daily, ethTx(BOB, eth("0.5") + 1n), spent)).toEqual([
      {
        policyId: "daily",
        type: "daily_limit",
        message: "Transaction would exceed daily limit of 5.0 ETH (4.5 ETH already spent in the last 24 h)",
      },
    ]);
  });

  it("reads token usage keyed by address in any case", () => {
    const usdcDaily = policy("daily_limit", { maxAmount: "100", token: USDC_REF });
    const spent = usage({ rolling24h: { [USDC.toLowerCase()]: 60n } });
    expect(check(usdcDaily, tokenTx(USDC, transferData(BOB, 40n)), spent)).toEqual([]);
    expect(check(usdcDaily, tokenTx(USDC, transferData(BOB, 41n)), spent)).toHaveLength(1);
    expect(usageOf({ [USDC.toLowerCase()]: 7n }, USDC)).toBe(7n);
  });

  it("does not fire for a request that spends nothing of its asset", () => {
    expect(check(daily, tokenTx(USDC, transferData(BOB, 1n)), usage({ rolling24h: { native: eth("9") } }))).toEqual([]);
  });
});

describe("monthly_limit", () => {
  const monthly = policy("monthly_limit", { maxAmount: eth("10").toString(), timeZone: "Europe/Berlin" }, "monthly");

  it("uses the figure for its own time zone", () => {
    const spent = usage({ monthly: { "Europe/Berlin": { native: eth("9") }, UTC: { native: 0n } } });
    expect(check(monthly, ethTx(BOB, eth("1")), spent)).toEqual([]);
    expect(check(monthly, ethTx(BOB, eth("1") + 1n), spent)).toEqual([
      {
        policyId: "monthly",
        type: "monthly_limit",
        message: "Transaction would exceed monthly limit of 10.0 ETH (9.0 ETH already spent this month, Europe/Berlin)",
      },
    ]);
  });

  it("insists the caller supplies usage for the zone", () => {
    expect(() => check(monthly, ethTx(BOB, 1n), usage({ monthly: { UTC: {} } }))).toThrow(PolicyRequestError);
  });
});

describe("spendOf", () => {
  it("lists native value and decoded token amounts to reserve", () => {
    expect(spendOf(ethTx(BOB, 7n))).toEqual([{ asset: "native", amount: 7n }]);
    expect(spendOf(tokenTx(USDC, transferData(BOB, 3n), { value: 2n }))).toEqual([
      { asset: "native", amount: 2n },
      { asset: USDC, amount: 3n },
    ]);
    expect(spendOf(tokenTx(USDC, approveData(BOB, 0n)))).toEqual([]);
    expect(spendOf(personalMessage)).toEqual([]);
  });
});
