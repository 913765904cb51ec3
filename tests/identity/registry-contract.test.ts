import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BaseError, ContractFunctionRevertedError, getAddress, keccak256, type Address, type Hex } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { localDevnetNetwork, publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { agentRegistryAbi } from "@/lib/identity/abi";
import { compileAgentRegistry } from "@/lib/identity/compile";
import { deployAgentRegistry, ensureAgentRegistry, isCurrentRegistry } from "@/lib/identity/deploy";

let devnet: Devnet;
let network: Network;
let registry: Address;
const owner = () => privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey);
const provider = () => privateKeyToAccount(devnet.fundedAccounts[1]!.privateKey);
const stranger = () => privateKeyToAccount(devnet.fundedAccounts[2]!.privateKey);
const human = () => privateKeyToAccount(devnet.fundedAccounts[3]!.privateKey);

function registration(over: Partial<{ nullifier: bigint; agentAddress: Address; ed25519Key: Hex; humanAddress: Address; verificationStrength: number; name: string; nationality: string }> = {}) {
  return {
    nullifier: over.nullifier ?? 123456789n,
    agentAddress: over.agentAddress ?? privateKeyToAccount(generatePrivateKey()).address,
    ed25519Key: over.ed25519Key ?? (`0x${"00".repeat(32)}` as Hex),
    humanAddress: over.humanAddress ?? human().address,
    verificationStrength: over.verificationStrength ?? 2,
    credentials: { nationality: over.nationality ?? "GBR", olderThan: 18, ofac: [false, false, false] as readonly [boolean, boolean, boolean] },
    metadata: { name: over.name ?? "Payroll agent", description: "Pays the team", a2aEndpoint: "http://localhost:3000/api/cards/31337/1", mcpEndpoint: "http://localhost:3000/mcp" },
  };
}

async function write(account: ReturnType<typeof owner>, functionName: string, args: readonly unknown[]): Promise<Hex> {
  const client = publicClientFor(network);
  // simulate first: a revert surfaces as the contract's custom error
  const { request } = await client.simulateContract({ account, address: registry, abi: agentRegistryAbi, functionName: functionName as never, args: args as never });
  const hash = await walletClientFor(network, account).writeContract(request as never);
  const receipt = await client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return hash;
}

async function revertName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BaseError) {
      const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
      if (revert instanceof ContractFunctionRevertedError) return revert.data?.errorName ?? "unknown";
    }
    throw err;
  }
  throw new Error("expected a revert");
}

const read = <T>(functionName: string, args: readonly unknown[] = []) =>
  publicClientFor(network).readContract({ address: registry, abi: agentRegistryAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  network = localDevnetNetwork(devnet.rpcUrl, devnet.chainId);
  registry = await deployAgentRegistry(network, { deployer: owner(), providers: [provider().address] });
}, 120_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("AgentIdentityRegistry on anvil", () => {
  it("the committed ABI (lib/identity/abi.ts) is the compiled contract's", () => {
    expect(JSON.parse(JSON.stringify(agentRegistryAbi))).toEqual(compileAgentRegistry().abi);
  });

  it("starts with maxAgentsPerHuman 1 and the provider authorised", async () => {
    expect(await read<bigint>("maxAgentsPerHuman")).toBe(1n);
    expect(await read<boolean>("isProofProvider", [provider().address])).toBe(true);
    expect(await read<boolean>("isProofProvider", [stranger().address])).toBe(false);
    expect(await isCurrentRegistry(network, registry)).toBe(true);
  });

  it("mints only by an authorised proof provider", async () => {
    const name = await revertName(
      publicClientFor(network).simulateContract({ account: stranger(), address: registry, abi: agentRegistryAbi, functionName: "registerAgent", args: [registration({ nullifier: 1n })] }),
    );
    expect(name).toBe("NotProofProvider");
  });

  it("mints a soulbound token with the record, and transfers revert", async () => {
    const r = registration({ nullifier: 1001n });
    await write(provider(), "registerAgent", [r]);
    const id = await read<bigint>("agentIdOf", [r.agentAddress]);
    expect(id).toBeGreaterThan(0n);
    expect(getAddress(await read<Address>("ownerOf", [id]))).toBe(human().address);
    const rec = await read<{ nullifier: bigint; agentAddress: Address; proofProvider: Address; verificationStrength: number; credentials: { nationality: string; olderThan: number; ofac: readonly boolean[] }; registeredAtBlock: bigint }>("getAgent", [id]);
    expect(rec.nullifier).toBe(1001n);
    expect(rec.agentAddress).toBe(r.agentAddress);
    expect(rec.proofProvider).toBe(provider().address);
    expect(rec.verificationStrength).toBe(2);
    expect(rec.credentials).toEqual({ nationality: "GBR", olderThan: 18, ofac: [false, false, false] });
    expect(rec.registeredAtBlock).toBeGreaterThan(0n);
    expect(await read<boolean>("isVerifiedAgent", [r.agentAddress])).toBe(true);

    const transfer = await revertName(
      publicClientFor(network).simulateContract({ account: human(), address: registry, abi: agentRegistryAbi, functionName: "transferFrom", args: [human().address, stranger().address, id] }),
    );
    expect(transfer).toBe("Soulbound");
    const approve = await revertName(
      publicClientFor(network).simulateContract({ account: human(), address: registry, abi: agentRegistryAbi, functionName: "approve" as never, args: [stranger().address, id] as never }),
    );
    expect(approve).toBe("Soulbound");
  });

  it("enforces maxAgentsPerHuman per nullifier, configurable by the owner only", async () => {
    await write(provider(), "registerAgent", [registration({ nullifier: 2002n })]);
    expect(await read<bigint>("humanAgentCount", [2002n])).toBe(1n);
    expect(await revertName(publicClientFor(network).simulateContract({ account: provider(), address: registry, abi: agentRegistryAbi, functionName: "registerAgent", args: [registration({ nullifier: 2002n })] }))).toBe("TooManyAgentsForHuman");

    expect(await revertName(publicClientFor(network).simulateContract({ account: stranger(), address: registry, abi: agentRegistryAbi, functionName: "setMaxAgentsPerHuman", args: [2n] }))).toBe("OwnableUnauthorizedAccount");
    await write(owner(), "setMaxAgentsPerHuman", [2n]);
    const second = registration({ nullifier: 2002n });
    await write(provider(), "registerAgent", [second]);
    const ids = await read<bigint[]>("agentsOfNullifier", [2002n]);
    expect(ids).toHaveLength(2);
    expect(await read<boolean>("sameHuman", [ids[0], ids[1]])).toBe(true);
    const other = await read<bigint>("agentIdOf", [(await read<{ agentAddress: Address }>("getAgent", [1n])).agentAddress]);
    expect(await read<boolean>("sameHuman", [ids[0], other])).toBe(false);
    await write(owner(), "setMaxAgentsPerHuman", [1n]);
  });

  it("refuses a second registration of the same agent key, bad strength and JSON-breaking metadata", async () => {
    const r = registration({ nullifier: 3003n });
    await write(provider(), "registerAgent", [r]);
    const sim = (reg: ReturnType<typeof registration>) => publicClientFor(network).simulateContract({ account: provider(), address: registry, abi: agentRegistryAbi, functionName: "registerAgent", args: [reg] });
    expect(await revertName(sim({ ...registration({ nullifier: 3004n }), agentAddress: r.agentAddress }))).toBe("AgentKeyAlreadyRegistered");
    expect(await revertName(sim(registration({ nullifier: 3005n, verificationStrength: 4 })))).toBe("InvalidStrength");
    expect(await revertName(sim(registration({ nullifier: 3006n, name: 'evil","x":"' })))).toBe("InvalidMetadata");
    expect(await revertName(sim({ ...registration({ nullifier: 3007n }), ed25519Key: `0x${"11".repeat(32)}` }))).toBe("InvalidAgentKey");
  });

  it("registers an Ed25519 agent under its derived address", async () => {
    const key = `0x${"ab".repeat(32)}` as Hex;
    await write(provider(), "registerAgent", [{ ...registration({ nullifier: 4004n }), agentAddress: "0x0000000000000000000000000000000000000000", ed25519Key: key }]);
    const derived = getAddress(`0x${keccak256(key).slice(-40)}`);
    expect(await read<Address>("ed25519AgentAddress", [key])).toBe(derived);
    const id = await read<bigint>("agentIdOf", [derived]);
    expect((await read<{ ed25519Key: Hex }>("getAgent", [id])).ed25519Key).toBe(key);
  });

  it("serves an ERC-8004-style registration file as tokenURI", async () => {
    const r = registration({ nullifier: 5005n, name: "Card agent" });
    await write(provider(), "registerAgent", [r]);
    const id = await read<bigint>("agentIdOf", [r.agentAddress]);
    const uri = await read<string>("tokenURI", [id]);
    expect(uri.startsWith("data:application/json;base64,")).toBe(true);
    const file = JSON.parse(Buffer.from(uri.slice("data:application/json;base64,".length), "base64").toString("utf8"));
    expect(file).toEqual({
      type: "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
      name: "Card agent",
      description: "Pays the team",
      endpoints: [
        { name: "A2A", endpoint: r.metadata.a2aEndpoint, version: "0.3.0" },
        { name: "MCP", endpoint: r.metadata.mcpEndpoint },
        { name: "agentWallet", endpoint: `eip155:${devnet.chainId}:${r.agentAddress}` },
      ],
      registrations: [{ agentId: Number(id), agentRegistry: `eip155:${devnet.chainId}:${registry}` }],
      supportedTrust: ["proof-of-human"],
    });
  });

  it("burns on deregistration (provider with the nullifier), freeing the human's slot", async () => {
    const r = registration({ nullifier: 6006n });
    await write(provider(), "registerAgent", [r]);
    const id = await read<bigint>("agentIdOf", [r.agentAddress]);
    expect(await revertName(publicClientFor(network).simulateContract({ account: provider(), address: registry, abi: agentRegistryAbi, functionName: "deregisterAgent", args: [id, 9999n] }))).toBe("NullifierMismatch");
    await write(provider(), "deregisterAgent", [id, 6006n]);
    expect(await read<bigint>("humanAgentCount", [6006n])).toBe(0n);
    expect(await read<bigint>("agentIdOf", [r.agentAddress])).toBe(0n);
    expect(await read<boolean>("isVerifiedAgent", [r.agentAddress])).toBe(false);
    expect(await revertName(read("getAgent", [id]))).toBe("AgentNotFound");
    expect(await revertName(read("ownerOf", [id]))).toBe("ERC721NonexistentToken");
    // the slot is free again
    await write(provider(), "registerAgent", [registration({ nullifier: 6006n })]);
    expect(await read<bigint>("humanAgentCount", [6006n])).toBe(1n);
  });

  it("lets the holder burn its own agent and nobody else", async () => {
    const r = registration({ nullifier: 7007n });
    await write(provider(), "registerAgent", [r]);
    const id = await read<bigint>("agentIdOf", [r.agentAddress]);
    expect(await revertName(publicClientFor(network).simulateContract({ account: stranger(), address: registry, abi: agentRegistryAbi, functionName: "burn", args: [id] }))).toBe("ERC721InsufficientApproval");
    const held = await read<bigint[]>("agentsOfHolder", [human().address]);
    expect(held).toContain(id);
    await write(human(), "burn", [id]);
    expect(await read<bigint[]>("agentsOfHolder", [human().address])).not.toContain(id);
  });

  it("refreshes a proof (same nullifier only)", async () => {
    const r = registration({ nullifier: 8008n });
    await write(provider(), "registerAgent", [r]);
    const id = await read<bigint>("agentIdOf", [r.agentAddress]);
    const creds = { nationality: "FRA", olderThan: 21, ofac: [true, false, false] as const };
    expect(await revertName(publicClientFor(network).simulateContract({ account: provider(), address: registry, abi: agentRegistryAbi, functionName: "refreshProof", args: [id, 1n, 3, creds] }))).toBe("NullifierMismatch");
    await write(provider(), "refreshProof", [id, 8008n, 3, creds]);
    const rec = await read<{ verificationStrength: number; credentials: unknown }>("getAgent", [id]);
    expect(rec.verificationStrength).toBe(3);
    expect(rec.credentials).toEqual(creds);
  });

  it("a deauthorised provider's agents are no longer verified", async () => {
    const second = privateKeyToAccount(devnet.fundedAccounts[4]!.privateKey);
    await write(owner(), "setProofProvider", [second.address, true]);
    const r = registration({ nullifier: 9009n });
    await write(second, "registerAgent", [r]);
    expect(await read<boolean>("isVerifiedAgent", [r.agentAddress])).toBe(true);
    await write(owner(), "setProofProvider", [second.address, false]);
    expect(await read<boolean>("isVerifiedAgent", [r.agentAddress])).toBe(false);
  });

  it("ensureAgentRegistry reuses a recorded registry and redeploys when the record is stale", async () => {
    const again = await ensureAgentRegistry(network, owner(), provider().address, registry);
    expect(again).toEqual({ address: registry, deployed: false });
    const fresh = await ensureAgentRegistry(network, owner(), provider().address, stranger().address);
    expect(fresh.deployed).toBe(true);
    expect(fresh.address).not.toBe(registry);
    expect(await publicClientFor(network).readContract({ address: fresh.address, abi: agentRegistryAbi, functionName: "isProofProvider", args: [provider().address] })).toBe(true);
  });
});
