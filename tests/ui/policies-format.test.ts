import { describe, expect, it } from "vitest";
import {
  AmountInputError,
  baseToUnits,
  buildConfig,
  emptyPolicyForm,
  errorsFromIssues,
  fieldForPath,
  formFromConfig,
  summarisePolicy,
  unitsToBase,
  weekdayRanges,
} from "@/components/policies/policy-format";
import { parsePolicyConfig } from "@/lib/policy/schemas";
import { POLICY_TYPES } from "@/lib/policy/types";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("amounts", () => {
  it("converts whole units to base units exactly", () => {
    expect(unitsToBase("1.5", 18)).toBe("1500000000000000000");
    expect(unitsToBase(".25", 18)).toBe("250000000000000000");
    expect(unitsToBase("0.000000000000000001", 18)).toBe("1");
    expect(unitsToBase("250.5", 6)).toBe("250500000");
    expect(unitsToBase("7", 0)).toBe("7");
  });

  it("rejects what is not an amount, with a message for the field", () => {
    expect(() => unitsToBase("", 18)).toThrow("Enter an amount");
    expect(() => unitsToBase("abc", 18)).toThrow(AmountInputError);
    expect(() => unitsToBase("-1", 18)).toThrow("Enter an amount like 1.5");
    expect(() => unitsToBase("1e18", 18)).toThrow("Enter an amount like 1.5");
    expect(() => unitsToBase("0.1234567", 6)).toThrow("At most 6 decimal places");
    expect(() => unitsToBase("1.5", 0)).toThrow("Whole numbers only");
  });

  it("formats base units back without trailing zeros", () => {
    expect(baseToUnits("1500000000000000000", 18)).toBe("1.5");
    expect(baseToUnits(250500000n, 6)).toBe("250.5");
    expect(baseToUnits("not a number", 18)).toBe("not a number");
  });
});

describe("policy forms", () => {
  it("builds a native daily limit the server accepts", () => {
    const result = buildConfig("daily_limit", { ...emptyPolicyForm(), amount: "2" });
    expect(result).toEqual({ ok: true, config: { maxAmount: "2000000000000000000", blockUnlimitedApprovals: true } });
    if (result.ok) expect(parsePolicyConfig("daily_limit", result.config).maxAmount).toBe(2000000000000000000n);
  });

  it("builds a token limit in token units with decimals", () => {
    const form = { ...emptyPolicyForm(), asset: "token" as const, amount: "250.5", tokenAddress: A, tokenDecimals: "6", tokenSymbol: "USDC" };
    const result = buildConfig("spending_limit", form);
    expect(result).toEqual({ ok: true, config: { maxAmount: "250500000", token: { address: A, decimals: 6, symbol: "USDC" }, blockUnlimitedApprovals: true } });
  });

  it("reports a bad amount and a bad token address on their own fields", () => {
    const result = buildConfig("spending_limit", { ...emptyPolicyForm(), asset: "token", amount: "lots", tokenAddress: "0x123" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.amount).toBe("Enter an amount like 1.5");
      expect(result.errors.tokenAddress).toMatch(/20-byte address/);
    }
  });

  it("checks address lists entry by entry", () => {
    const result = buildConfig("allowed_contracts", { ...emptyPolicyForm(), addresses: `${A}\nnope` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.addresses).toMatch(/^Entry 2 must be a 0x-prefixed 20-byte address/);
    expect(buildConfig("blocked_addresses", { ...emptyPolicyForm(), addresses: `${A}, ${B}` })).toEqual({ ok: true, config: { addresses: [A, B] } });
    const empty = buildConfig("blocked_addresses", emptyPolicyForm());
    expect(empty.ok ? null : empty.errors.addresses).toMatch(/at least one/);
  });

  it("accepts selectors and human-readable signatures, one per line", () => {
    const result = buildConfig("allowed_functions", { ...emptyPolicyForm(), selectors: "transfer(address,uint256)\n0x095EA7B3", allowNativeTransfers: false });
    expect(result).toEqual({ ok: true, config: { selectors: ["transfer(address,uint256)", "0x095EA7B3"], allowNativeTransfers: false } });
    const bad = buildConfig("allowed_functions", { ...emptyPolicyForm(), selectors: "not a function" });
    expect(bad.ok ? null : bad.errors.selectors).toMatch(/neither a 4-byte selector nor a valid function signature/);
  });

  it("turns a rate window into seconds", () => {
    expect(buildConfig("rate_limit", { ...emptyPolicyForm(), maxRequests: "5", windowAmount: "2", windowUnit: "hours" })).toEqual({ ok: true, config: { maxRequests: 5, windowSeconds: 7200 } });
    const zero = buildConfig("rate_limit", { ...emptyPolicyForm(), maxRequests: "0" });
    expect(zero.ok ? null : zero.errors.maxRequests).toBe("Must be at least 1");
  });

  it("builds time windows with hours, weekdays and a time zone", () => {
    expect(buildConfig("time_window", { ...emptyPolicyForm("Europe/Berlin"), startHour: "22", endHour: "6" })).toEqual({
      ok: true,
      config: { timeZone: "Europe/Berlin", hours: { startHour: 22, endHour: 6 }, weekdays: ["mon", "tue", "wed", "thu", "fri"] },
    });
    const badZone = buildConfig("time_window", { ...emptyPolicyForm("Mars/Olympus"), restrictHours: false });
    expect(badZone.ok ? null : badZone.errors.timeZone).toMatch(/unknown IANA time zone/i);
    const noDays = buildConfig("time_window", { ...emptyPolicyForm(), weekdays: [] });
    expect(noDays.ok ? null : noDays.errors.weekdays).toBe("Pick at least one weekday");
  });

  it("round-trips every type through its stored config", () => {
    const configs = {
      spending_limit: { maxAmount: "1500000000000000000", blockUnlimitedApprovals: false },
      daily_limit: { maxAmount: "250500000", token: { address: A, decimals: 6, symbol: "USDC" }, blockUnlimitedApprovals: true },
      monthly_limit: { maxAmount: "1000000000000000000", blockUnlimitedApprovals: false, timeZone: "America/New_York" },
      allowed_contracts: { addresses: [A, B] },
      allowed_functions: { selectors: ["0xa9059cbb"], allowNativeTransfers: true },
      blocked_addresses: { addresses: [B] },
      rate_limit: { maxRequests: 10, windowSeconds: 86400 },
      time_window: { timeZone: "UTC", hours: { startHour: 9, endHour: 17 }, weekdays: ["mon", "fri"] },
    } as const;
    for (const type of POLICY_TYPES) {
      const form = formFromConfig(type, configs[type]);
      const rebuilt = buildConfig(type, form);
      expect(rebuilt.ok, type).toBe(true);
      if (rebuilt.ok) expect(parsePolicyConfig(type, rebuilt.config), type).toEqual(parsePolicyConfig(type, configs[type]));
    }
  });
});

describe("server errors", () => {
  it("places body.config paths next to their inputs", () => {
    expect(fieldForPath("body.config.maxAmount")).toBe("amount");
    expect(fieldForPath("body.config.token.address")).toBe("tokenAddress");
    expect(fieldForPath("body.config.token.decimals")).toBe("tokenDecimals");
    expect(fieldForPath("body.config.addresses[3]")).toBe("addresses");
    expect(fieldForPath("body.config.hours.endHour")).toBe("endHour");
    expect(fieldForPath("body.config.windowSeconds")).toBe("windowAmount");
    expect(fieldForPath("body.config")).toBe("form");
    expect(errorsFromIssues([{ path: "body.config.addresses[1]", message: "must be an address" }, { path: "body.config", message: "unknown key" }])).toEqual({
      addresses: "Entry 2 must be an address",
      form: "Unknown key",
    });
  });
});

describe("summaries", () => {
  it("reads like a sentence for each type", () => {
    expect(summarisePolicy("spending_limit", { maxAmount: "1500000000000000000" })).toBe("At most 1.5 ETH per transaction");
    expect(summarisePolicy("daily_limit", { maxAmount: "250500000", token: { address: A, decimals: 6, symbol: "USDC" } })).toBe("At most 250.5 USDC in any 24 hours");
    expect(summarisePolicy("monthly_limit", { maxAmount: "5", token: A, timeZone: "Europe/Berlin" })).toBe("At most 5 base units of 0x7099…79C8 per calendar month (Europe/Berlin)");
    expect(summarisePolicy("allowed_contracts", { addresses: [A, B, A, B] })).toBe("Only 4 contracts: 0x7099…79C8, 0x3C44…93BC, 0x7099…79C8 and 1 more");
    expect(summarisePolicy("blocked_addresses", { addresses: [B] })).toBe("Never this address: 0x3C44…93BC");
    expect(summarisePolicy("allowed_functions", { selectors: ["0xa9059cbb", "approve(address,uint256)"], allowNativeTransfers: false })).toBe("Only functions transfer, approve; no plain transfers");
    expect(summarisePolicy("rate_limit", { maxRequests: 1, windowSeconds: 3600 })).toBe("At most 1 request per hour");
    expect(summarisePolicy("rate_limit", { maxRequests: 10, windowSeconds: 7200 })).toBe("At most 10 requests per 2 hours");
    expect(summarisePolicy("time_window", { timeZone: "Europe/Berlin", hours: { startHour: 22, endHour: 6 }, weekdays: ["mon", "tue", "wed", "thu", "fri"] })).toBe(
      "Only Mon–Fri, 22:00–06:00 (Europe/Berlin)",
    );
  });

  it("groups weekdays into runs", () => {
    expect(weekdayRanges(["mon", "tue", "wed", "fri"])).toBe("Mon–Wed, Fri");
    expect(weekdayRanges(["sat", "sun"])).toBe("Sun, Sat");
    expect(weekdayRanges(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])).toBe("every day");
  });
});
