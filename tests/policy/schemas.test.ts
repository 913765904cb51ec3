import { describe, expect, it } from "vitest";
import { PolicyValidationError } from "@/lib/policy/errors";
import { parseAmount, parsePolicy, parsePolicyConfig, parseSelector } from "@/lib/policy/schemas";
import { USDC } from "./fixtures";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    const e = error as PolicyValidationError;
    expect(e.statusCode).toBe(400);
    return e.issues;
  }
  throw new Error("expected a PolicyValidationError");
}

describe("limit configs", () => {
  it("parses wei strings to bigint and defaults blockUnlimitedApprovals by scope", () => {
    expect(parsePolicyConfig("spending_limit", { maxAmount: "1000000000000000000" })).toEqual({
      maxAmount: 10n ** 18n,
      blockUnlimitedApprovals: false,
    });
    const token = parsePolicyConfig("daily_limit", { maxAmount: "5", token: USDC.toLowerCase() });
    expect(token).toEqual({ maxAmount: 5n, token: { address: USDC }, blockUnlimitedApprovals: true });
    const optedOut = parsePolicyConfig("daily_limit", { maxAmount: "5", token: { address: USDC, decimals: 6, symbol: "USDC" }, blockUnlimitedApprovals: false });
    expect(optedOut.blockUnlimitedApprovals).toBe(false);
    expect(optedOut.token).toEqual({ address: USDC, decimals: 6, symbol: "USDC" });
  });

  it("monthly limits default to UTC and canonicalise the time zone", () => {
    expect(parsePolicyConfig("monthly_limit", { maxAmount: "1" }).timeZone).toBe("UTC");
    expect(parsePolicyConfig("monthly_limit", { maxAmount: "1", timeZone: "Europe/Berlin" }).timeZone).toBe("Europe/Berlin");
  });

  it.each([
    [{ maxAmount: "1.5" }, "maxAmount", 'must be a non-negative integer amount in base units as a decimal string, got "1.5"'],
    [{ maxAmount: 100 }, "maxAmount", "must be a non-negative integer amount in base units as a decimal string, got 100"],
    [{ maxAmount: "-1" }, "maxAmount", 'must be a non-negative integer amount in base units as a decimal string, got "-1"'],
    [{ maxAmount: "007" }, "maxAmount", 'must be a non-negative integer amount in base units as a decimal string, got "007"'],
    [{ maxAmount: (1n << 256n).toString() }, "maxAmount", `must fit in uint256, got ${(1n << 256n).toString()}`],
    [{}, "maxAmount", "is required"],
    [{ maxAmount: "1", token: "0x123" }, "token.address", 'must be a 0x-prefixed 20-byte address, got "0x123"'],
    [{ maxAmount: "1", token: { address: USDC, decimals: 78 } }, "token.decimals", "must be at most 77"],
    [{ maxAmount: "1", token: 5 }, "token", "must be a token address or { address, decimals?, symbol? }"],
    [{ maxAmount: "1", extra: true }, "extra", 'unknown key "extra"'],
  ])("rejects %j with a message at %s", (config, path, message) => {
    expect(issuesOf(() => parsePolicyConfig("spending_limit", config))).toContainEqual({ path, message });
  });

  it("renders a 400 body listing every issue", () => {
    try {
      parsePolicyConfig("rate_limit", { maxRequests: "10" });
      throw new Error("expected a PolicyValidationError");
    } catch (error) {
      expect((error as PolicyValidationError).toResponseBody()).toEqual({
        statusCode: 400,
        message: 'Invalid rate_limit config: maxRequests: must be a number, got "10"; windowSeconds: is required',
        errors: [
          { path: "maxRequests", message: 'must be a number, got "10"' },
          { path: "windowSeconds", message: "is required" },
        ],
      });
    }
  });

  it("rejects a bad checksum and an unknown time zone", () => {
    const badChecksum = "0xA0b86991c6218b36c1d19d4a2e9eb0ce3606eB48";
    expect(issuesOf(() => parsePolicyConfig("blocked_addresses", { addresses: [badChecksum] }))).toEqual([
      { path: "addresses[0]", message: `has an invalid EIP-55 checksum: ${badChecksum}` },
    ]);
    expect(issuesOf(() => parsePolicyConfig("monthly_limit", { maxAmount: "1", timeZone: "Mars/Olympus" }))).toEqual([
      { path: "timeZone", message: 'unknown IANA time zone "Mars/Olympus"' },
    ]);
  });
});

describe("other configs", () => {
  it("normalises signatures and selectors, deduplicating them", () => {
    const c = parsePolicyConfig("allowed_functions", {
      selectors: ["transfer(address,uint256)", "0xA9059CBB", "function approve(address spender, uint256 amount)"],
    });
    expect(c).toEqual({ selectors: ["0xa9059cbb", "0x095ea7b3"], allowNativeTransfers: true });
  });

  it("rejects malformed selectors with the offending index", () => {
    const issues = issuesOf(() => parsePolicyConfig("allowed_functions", { selectors: ["transfer(address,uint257)", "0x1234"] }));
    expect(issues).toEqual([
      { path: "selectors[0]", message: 'is neither a 4-byte selector nor a valid function signature: "transfer(address,uint257)"' },
      { path: "selectors[1]", message: 'must be 0x followed by 8 hex digits, got "0x1234"' },
    ]);
  });

  it("validates rate limits and time windows", () => {
    expect(parsePolicyConfig("rate_limit", { maxRequests: 10, windowSeconds: 3600 })).toEqual({ maxRequests: 10, windowSeconds: 3600 });
    expect(issuesOf(() => parsePolicyConfig("rate_limit", { maxRequests: 0, windowSeconds: 1.5 }))).toEqual([
      { path: "maxRequests", message: "must be at least 1" },
      { path: "windowSeconds", message: "must be an integer, got 1.5" },
    ]);
    expect(issuesOf(() => parsePolicyConfig("time_window", { timeZone: "UTC", hours: { startHour: 24, endHour: 9 } }))).toEqual([
      { path: "hours.startHour", message: "must be at most 23" },
    ]);
    expect(issuesOf(() => parsePolicyConfig("time_window", { timeZone: "UTC", hours: { startHour: 9, endHour: 9 } }))).toEqual([
      { path: "hours", message: "startHour and endHour must differ (omit hours to allow the whole day)" },
    ]);
    expect(issuesOf(() => parsePolicyConfig("time_window", { timeZone: "UTC" }))).toEqual([
      { path: "", message: "must restrict hours, weekdays, or both" },
    ]);
    expect(issuesOf(() => parsePolicyConfig("time_window", { timeZone: "UTC", weekdays: ["mon", "funday"] }))).toEqual([
      { path: "weekdays[1]", message: 'must be one of sun, mon, tue, wed, thu, fri, sat, got "funday"' },
    ]);
  });

  it("rejects empty allow lists and unknown policy types", () => {
    expect(issuesOf(() => parsePolicyConfig("allowed_contracts", { addresses: [] }))).toEqual([
      { path: "addresses", message: "must list at least one contract address" },
    ]);
    expect(issuesOf(() => parsePolicy({ id: "p", version: 1, type: "weekly_limit", config: {} }))[0]?.path).toBe("type");
    expect(issuesOf(() => parsePolicy({ id: "p", version: 1, type: "rate_limit", config: { maxRequests: 1 } }))).toEqual([
      { path: "config.windowSeconds", message: "is required" },
    ]);
  });
});

describe("primitive parsers", () => {
  it("accepts unit amounts only when asked", () => {
    expect(parseAmount("1.5 ETH", { allowUnits: true })).toEqual({ ok: true, value: 1_500_000_000_000_000_000n });
    expect(parseAmount("20 gwei", { allowUnits: true })).toEqual({ ok: true, value: 20_000_000_000n });
    expect(parseAmount("1.5 ETH").ok).toBe(false);
    expect(parseAmount("0.0000000001 gwei", { allowUnits: true }).ok).toBe(false);
  });

  it("normalises spaced and named signatures", () => {
    expect(parseSelector("transfer(address, uint256)")).toEqual({ ok: true, value: "0xa9059cbb" });
    expect(parseSelector("f(uint)")).toEqual(parseSelector("f(uint256)"));
  });
});
