import { describe, expect, it } from "vitest";
import { signerActivityPath } from "@/components/api/signers";
import {
  InvalidAmountError,
  canManageSigners,
  ethToWei,
  explorerAddressUrl,
  formatGas,
  isSignerId,
  networkLabel,
  shortAddress,
  tokenAddressError,
  validateSimulation,
} from "@/components/signers/signer-format";

const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("signer display helpers", () => {
  it("shortens addresses and leaves short strings alone", () => {
    expect(shortAddress(address)).toBe("0x7099…79C8");
    expect(shortAddress("0x1234")).toBe("0x1234");
  });

  it("names networks and falls back to the chain id", () => {
    const networks = [{ chainId: 31337, name: "Local devnet", rpcUrl: "http://x", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: true }];
    expect(networkLabel(networks, 31337)).toBe("Local devnet");
    expect(networkLabel(networks, 1)).toBe("Chain 1");
    expect(networkLabel(undefined, 8453)).toBe("Chain 8453");
  });

  it("builds explorer links only when the network has an explorer", () => {
    expect(explorerAddressUrl("https://etherscan.io/", address)).toBe(`https://etherscan.io/address/${address}`);
    expect(explorerAddressUrl(undefined, address)).toBeNull();
  });

  it("lets only owners and admins manage signers", () => {
    expect(canManageSigners("owner")).toBe(true);
    expect(canManageSigners("admin")).toBe(true);
    expect(canManageSigners("approver")).toBe(false);
    expect(canManageSigners("viewer")).toBe(false);
  });

  it("formats gas with separators", () => {
    expect(formatGas("21000")).toBe("21,000");
    expect(formatGas("n/a")).toBe("n/a");
  });
});

describe("ethToWei", () => {
  it("converts decimal ETH to wei exactly", () => {
    expect(ethToWei("1")).toBe("1000000000000000000");
    expect(ethToWei("0.000000000000000001")).toBe("1");
    expect(ethToWei(".5")).toBe("500000000000000000");
    expect(ethToWei(" 2.25 ")).toBe("2250000000000000000");
    expect(ethToWei("")).toBe("0");
  });

  it("rejects what is not a plain positive decimal", () => {
    for (const bad of ["-1", "1e18", "abc", "1.2.3", "0x10"]) expect(() => ethToWei(bad)).toThrow(InvalidAmountError);
    expect(() => ethToWei("0.0000000000000000001")).toThrow("At most 18 decimal places");
  });
});

describe("validateSimulation", () => {
  it("builds the request body for a plain transfer", () => {
    expect(validateSimulation({ to: address, value: "0.1", data: "" })).toEqual({ ok: true, request: { to: address, value: "100000000000000000" } });
  });

  it("passes calldata and treats an empty recipient with data as a contract creation", () => {
    expect(validateSimulation({ to: "", value: "", data: "0x6001" })).toEqual({ ok: true, request: { to: null, value: "0", data: "0x6001" } });
  });

  it("reports each bad field", () => {
    const result = validateSimulation({ to: "0x123", value: "-1", data: "0xabc" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["data", "to", "value"]);
  });

  it("needs a recipient or calldata", () => {
    const result = validateSimulation({ to: "", value: "1", data: "" });
    expect(result.ok).toBe(false);
  });
});

describe("tokenAddressError", () => {
  it("accepts addresses in any case and rejects the rest", () => {
    expect(tokenAddressError(address)).toBeNull();
    expect(tokenAddressError(address.toLowerCase())).toBeNull();
    expect(tokenAddressError("")).toBe("Enter the token contract address");
    expect(tokenAddressError("0x1234")).not.toBeNull();
  });
});

describe("signerActivityPath", () => {
  it("asks the audit log for one signer's newest events", () => {
    const url = new URL(signerActivityPath("0b7c2a8e-4d0e-4b53-9a51-6f1f3c2d9e10", 20), "http://x");
    expect(url.pathname).toBe("/api/v1/audit-log");
    expect(url.searchParams.get("signer")).toBe("0b7c2a8e-4d0e-4b53-9a51-6f1f3c2d9e10");
    expect(url.searchParams.get("limit")).toBe("20");
  });
});

describe("isSignerId", () => {
  it("accepts UUIDs only", () => {
    expect(isSignerId("0b7c2a8e-4d0e-4b53-9a51-6f1f3c2d9e10")).toBe(true);
    expect(isSignerId("not-a-signer")).toBe(false);
    expect(isSignerId("0b7c2a8e-4d0e-4b53-9a51-6f1f3c2d9e1")).toBe(false);
  });
});
