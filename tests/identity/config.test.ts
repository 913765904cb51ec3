import { describe, expect, it } from "vitest";
import { celoNetworksFrom, chainIdForNetwork } from "@/lib/identity/config";
import { infoView, networkLabel, strengthLabel } from "@/lib/identity/model";

describe("identity chain configuration (pure)", () => {
  it("Celo entries exist only with an RPC URL; the registry address is checksummed", () => {
    expect(celoNetworksFrom({})).toEqual([]);
    const [celo, sepolia, ...rest] = celoNetworksFrom({
      CELO_RPC_URL: "https://forno.celo.org",
      CELO_IDENTITY_REGISTRY: "0x5e61c3051bf4115f90aaceae6212bc419f8abb6c",
      CELO_SEPOLIA_RPC_URL: "https://forno.celo-sepolia.celo-testnet.org",
    });
    expect(rest).toEqual([]);
    expect(celo).toMatchObject({ network: { chainId: 42220, name: "Celo", rpcUrl: "https://forno.celo.org", isDevnet: false, enabled: true }, registry: "0x5E61c3051Bf4115F90AacEAE6212bc419f8aBB6c" });
    expect(sepolia).toMatchObject({ network: { chainId: 11142220, name: "Celo Sepolia" }, registry: null });
  });

  it("a bad variable is named", () => {
    expect(() => celoNetworksFrom({ CELO_RPC_URL: "ftp://x" })).toThrow(/^CELO_RPC_URL/);
    expect(() => celoNetworksFrom({ CELO_RPC_URL: "https://x", CELO_IDENTITY_REGISTRY: "0x12" })).toThrow(/^CELO_IDENTITY_REGISTRY/);
  });

  it("mainnet/testnet map to the configured Celo chain, else to the local devnet", () => {
    const devnet = { chainId: 31337, isDevnet: true };
    expect(chainIdForNetwork("mainnet", [devnet])).toBe(31337);
    expect(chainIdForNetwork("testnet", [devnet])).toBe(31337);
    expect(chainIdForNetwork("mainnet", [devnet, { chainId: 42220, isDevnet: false }])).toBe(42220);
    expect(chainIdForNetwork("testnet", [devnet, { chainId: 42220, isDevnet: false }])).toBe(31337);
    expect(chainIdForNetwork("testnet", [{ chainId: 11142220, isDevnet: false }])).toBe(11142220);
    expect(chainIdForNetwork("mainnet", [{ chainId: 11142220, isDevnet: false }])).toBeNull();
  });

  it("labels: strength 2 is Standard, Celo mainnet is mainnet", () => {
    expect([0, 1, 2, 3, 9].map(strengthLabel)).toEqual(["Unverified", "Basic", "Standard", "Enhanced", "Unverified"]);
    expect(networkLabel(42220)).toBe("mainnet");
    expect(networkLabel(11142220)).toBe("testnet");
    expect(networkLabel(31337)).toBe("testnet");
  });

  it("an agent whose provider lost its authorisation is not verified", () => {
    const agent = {
      agentId: 5, chainId: 11142220, registry: "0x0000000000000000000000000000000000000001", nullifier: 1n,
      agentAddress: "0x83fa4380903fecb801F4e123835664973001ff00", ed25519Key: null, humanAddress: null,
      proofProvider: "0x5E61c3051Bf4115F90AacEAE6212bc419f8aBB6c", providerAuthorised: false, verificationStrength: 2,
      registeredAt: 1740000000, registeredAtBlock: 12345678n, proofRefreshedAt: 1740000000,
      credentials: { nationality: "GBR", olderThan: 18, ofac: [false, false, false] }, metadata: { name: "a", description: "", a2aEndpoint: "", mcpEndpoint: "" },
    } as const;
    expect(infoView({ ...agent, credentials: { ...agent.credentials, ofac: [false, false, false] } }).isVerified).toBe(false);
    expect(infoView({ ...agent, providerAuthorised: true, credentials: { ...agent.credentials, ofac: [false, false, false] } })).toEqual({
      agentId: 5, chainId: 11142220, agentAddress: "0x83fa4380903fecb801F4e123835664973001ff00", isVerified: true,
      proofProvider: "0x5E61c3051Bf4115F90AacEAE6212bc419f8aBB6c", verificationStrength: 2, strengthLabel: "Standard",
      credentials: { nationality: "GBR", olderThan: 18, ofac: [false, false, false] }, registeredAt: 1740000000, network: "testnet",
    });
  });
});
