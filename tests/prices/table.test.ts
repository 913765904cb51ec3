/** The static price source (lib/prices): parsing the operator's table, and valuing holdings with it. */
import { describe, expect, it } from "vitest";
import { formatUsd, parsePriceTable, priceKey, pricesFor, PriceTableError, valueHoldings } from "@/lib/prices/table";

const USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

describe("parsePriceTable", () => {
  it("is empty when nothing is configured (the default: no value is shown)", () => {
    expect(parsePriceTable(undefined).size).toBe(0);
    expect(parsePriceTable("").size).toBe(0);
    expect(parsePriceTable(" , ").size).toBe(0);
  });

  it("reads native and token prices per chain, token addresses in any case", () => {
    const t = parsePriceTable(` 1:native=3000.5, 1:${USDC}=1 ,31337:native=2500`);
    expect([...t]).toEqual([
      ["1:native", "3000.5"],
      [`1:${USDC.toLowerCase()}`, "1"],
      ["31337:native", "2500"],
    ]);
    expect(priceKey(1, USDC.toUpperCase().replace("0X", "0x"))).toBe(`1:${USDC.toLowerCase()}`);
  });

  it("refuses malformed entries and an asset priced twice", () => {
    for (const bad of ["1:native", "native=3", "1:ETH=3000", "1:native=-1", "1:native=3e3", "x:native=1", "1:0x1234=1"]) {
      expect(() => parsePriceTable(bad), bad).toThrow(PriceTableError);
    }
    expect(() => parsePriceTable(`1:${USDC}=1,1:${USDC.toLowerCase()}=1`)).toThrow(/priced twice/);
  });
});

describe("valueHoldings", () => {
  const prices = pricesFor(parsePriceTable(`1:native=3000,31337:native=2000,31337:${USDC}=1`), [31337]);

  it("keeps only the shown networks' entries", () => {
    expect(prices).toEqual({ "31337:native": "2000", [`31337:${USDC.toLowerCase()}`]: "1" });
  });

  it("sums priced holdings and lists the unpriced ones instead of guessing", () => {
    const v = valueHoldings(prices, [
      { chainId: 31337, asset: "native", symbol: "ETH", formatted: "1.5" },
      { chainId: 31337, asset: USDC, symbol: "USDC", formatted: "250.25" },
      { chainId: 31337, asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "TUSD", formatted: "40" },
      { chainId: 31337, asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "TUSD", formatted: "2" },
      { chainId: 31337, asset: "0x0000000000000000000000000000000000000001", symbol: "ZERO", formatted: "0" },
    ]);
    expect(v.totalUsd).toBeCloseTo(3250.25, 6);
    expect(v.priced).toBe(2);
    expect(v.unpriced).toEqual([{ chainId: 31337, symbol: "TUSD" }]);
    expect(formatUsd(v.totalUsd)).toBe("$3,250.25");
  });
});
