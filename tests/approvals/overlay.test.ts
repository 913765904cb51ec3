import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, erc20Abi, getAddress, parseAbi, parseUnits, type Abi, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { deploySafeContracts } from "@/lib/safe/deploy";
import { POST as createDraft } from "@/app/api/drafts/route";
import { POST as pairAgent } from "@/app/api/v1/approvals/agents/route";
import { GET as listDescriptors, POST as addDescriptor } from "@/app/api/v1/clearsign/descriptors/route";
import { DELETE as removeDescriptor } from "@/app/api/v1/clearsign/descriptors/[id]/route";
import { MAX_DESCRIPTOR_BYTES, validateUploadedDescriptor } from "@/lib/clearsign/validate-descriptor";
import { listJsonFiles, loadDescriptorFile } from "@/lib/clearsign/descriptor-file";
import { VECTORS_DIR } from "../clearsign/vector-files";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { expectSeed } from "./seed-schemas";
import { payrollDescriptor } from "../fixtures/payroll-descriptor";

useTestDatabase();

const DRAFT = "POST /api/drafts";
const PATH = "/api/v1/clearsign/descriptors";

let devnet: Devnet;
let network: Network;
let owner: Awaited<ReturnType<typeof makeUser>>;
let viewer: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let agent: PrivateKeyAccount;
let agentToken: string;
let token: Address;

const recipient = privateKeyToAccount(generatePrivateKey()).address;
/** A staking contract of the organization's own: just an address on the devnet (drafts need no code). */
const vault = privateKeyToAccount(generatePrivateKey()).address;
const pool = privateKeyToAccount(generatePrivateKey()).address;
const vaultAbi = parseAbi(["function stake(address pool, uint256 amount)", "function unstake(uint256 amount)"]);
const short = (a: string) => `${a.slice(0, 4)}…${a.slice(-2)}`.toLowerCase();

const stakeAction = (amount: bigint) => ({ chainId: 31337, to: vault, data: encodeFunctionData({ abi: vaultAbi, functionName: "stake", args: [pool, amount] }), value: "0" });
const tokenTransfer = (amount: bigint) => ({ chainId: 31337, to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [recipient, amount] }), value: "0" });
const tokenApprove = (amount: bigint) => ({ chainId: 31337, to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [recipient, amount] }), value: "0" });

function vaultDescriptor(label = "Stake", address: string = vault) {
  return {
    $schema: "https://eips.ethereum.org/assets/eip-7730/erc7730-v1.schema.json",
    context: { $id: "acme-vault", contract: { deployments: [{ chainId: 31337, address }] } },
    metadata: { owner: "Acme Vault", contractName: "AcmeVault" },
    display: {
      formats: {
        "stake(address pool, uint256 amount)": {
          intent: label,
          interpolatedIntent: `${label} {amount} units in {pool}`,
          fields: [
            { path: "amount", label: "Amount", format: "raw" },
            { path: "pool", label: "Pool", format: "addressName", params: { types: ["contract"], sources: ["local"] } },
          ],
        },
      },
    },
  };
}

const tokenOverlay = () => payrollDescriptor(31337, token);

async function draft(actions: object[]) {
  const d = await call(createDraft, "POST", "/api/drafts", { apiKey: agentToken, body: { signer: agent.address, intent: { actions } } });
  expectSeed(DRAFT, d, 200);
  return d.json;
}

async function add(descriptor: unknown, auth: { cookie?: string; apiKey?: string } = { cookie: owner.cookie }) {
  return call(addDescriptor, "POST", PATH, { ...auth, body: { descriptor } });
}

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  await deploySafeContracts(devnet.rpcUrl);
  network = await getNetwork(db(), 31337);
  owner = await makeUser();
  viewer = await makeUser({ organizationId: owner.organizationId, role: "viewer" });
  outsider = await makeUser();
  agent = privateKeyToAccount(generatePrivateKey());
  const paired = await call(pairAgent, "POST", "/api/v1/approvals/agents", { cookie: owner.cookie, body: { mode: "safe", agentAddress: agent.address, chainId: 31337 } });
  expect(paired.status, JSON.stringify(paired.json)).toBe(201);
  agentToken = paired.json.token;
  const safeAddress = paired.json.agent.safeAddress as Address;

  // A real ERC-20 (symbol and decimals come from the chain), minted to the Safe.
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  const wallet = walletClientFor(network, funder);
  const artifact = JSON.parse(readFileSync("node_modules/@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json", "utf8")) as { abi: Abi; bytecode: Hex };
  const deploy = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: ["Test USD", "TUSD", parseUnits("1000", 18), safeAddress] });
  token = getAddress((await publicClientFor(network).waitForTransactionReceipt({ hash: deploy })).contractAddress!);
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("clear-signing overlay descriptors", () => {
  let vaultId: string;
  let tokenId: string;

  it("a call no descriptor knows is unresolved before the organization adds one", async () => {
    const d = await draft([stakeAction(5n)]);
    expect(d.clearSigning.actionResults).toEqual([{ resolved: false, reason: expect.stringContaining("no clear-signing descriptor") }]);
    expect(d.clearSigning.aggregatedDescription).toBe(`Unverified call 0x${encodeFunctionData({ abi: vaultAbi, functionName: "stake", args: [pool, 5n] }).slice(2, 10)} to ${short(vault)}`);
  });

  it("another organization's overlay is never used", async () => {
    const other = await add(vaultDescriptor("Drain"), { cookie: outsider.cookie });
    expect(other.status, JSON.stringify(other.json)).toBe(201);
    const d = await draft([stakeAction(5n)]);
    expect(d.clearSigning.actionResults[0].resolved).toBe(false);
    // ...and its id does not exist for this organization.
    const del = await call(removeDescriptor, "DELETE", `${PATH}/${other.json.descriptor.id}`, { cookie: owner.cookie, params: { id: other.json.descriptor.id } });
    expect(del.status).toBe(404);
    const list = await call(listDescriptors, "GET", PATH, { cookie: owner.cookie });
    expect(list.json.descriptors).toEqual([]);
    expect(await db().clearSignDescriptor.count({ where: { id: other.json.descriptor.id, deletedAt: null } })).toBe(1);
  });

  it("POST adds a descriptor; drafts then resolve the call with source overlay and its label", async () => {
    const res = await add(vaultDescriptor());
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    vaultId = res.json.descriptor.id;
    expect(res.json.descriptor).toMatchObject({
      source: "overlay",
      owner: "Acme Vault",
      contractName: "AcmeVault",
      deployments: [{ chainId: 31337, address: vault.toLowerCase() }],
      functions: [{ signature: "stake(address,uint256)", selector: "0x" + encodeFunctionData({ abi: vaultAbi, functionName: "stake", args: [pool, 0n] }).slice(2, 10), key: "stake(address pool, uint256 amount)", intent: "Stake" }],
    });

    const d = await draft([stakeAction(5n)]);
    const expected = `Stake 5 units in ${short(pool)}`;
    expect(d.clearSigning.actionResults).toEqual([{ resolved: true, source: "overlay", descriptorId: vaultId, description: expected, protocolTag: "Acme Vault", bindingKind: "calldata" }]);
    expect(d.clearSigning.aggregatedDescription).toBe(expected);
    // A selector the overlay does not format stays unresolved (the raw call is shown).
    const other = await draft([{ ...stakeAction(1n), data: encodeFunctionData({ abi: vaultAbi, functionName: "unstake", args: [1n] }) }]);
    expect(other.clearSigning.actionResults[0].resolved).toBe(false);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { organizationId: owner.organizationId, action: "clearsign.descriptor_added", resourceId: vaultId } });
    expect(audit.details).toMatchObject({ functions: ["stake(address,uint256)"] });
  });

  it("an overlay bound to a token address wins over the vendor ERC-20 descriptor for that selector only", async () => {
    const before = await draft([tokenTransfer(parseUnits("250", 18))]);
    expect(before.clearSigning.actionResults[0]).toMatchObject({ resolved: true, source: "vendor", descriptorId: "erc20", description: `Send 250 TUSD to ${short(recipient)}` });

    const res = await add(tokenOverlay());
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    tokenId = res.json.descriptor.id;

    const after = await draft([tokenTransfer(parseUnits("250", 18)), tokenApprove(parseUnits("10", 18))]);
    expect(after.clearSigning.actionResults).toEqual([
      { resolved: true, source: "overlay", descriptorId: tokenId, description: `Pay salary of 250 TUSD to ${short(recipient)}`, protocolTag: "Payroll", bindingKind: "calldata" },
      expect.objectContaining({ resolved: true, source: "vendor", descriptorId: "erc20", description: `Allow ${short(recipient)} to spend 10 TUSD` }),
    ]);
    expect(after.clearSigning.aggregatedDescription).toBe(`Pay salary of 250 TUSD to ${short(recipient)} and 1 more action`);
  });

  it("GET lists the organization's descriptors with deployments and function signatures", async () => {
    const list = await call(listDescriptors, "GET", PATH, { cookie: viewer.cookie });
    expect(list.status).toBe(200);
    expect(list.json.descriptors.map((d: { id: string }) => d.id)).toEqual([vaultId, tokenId]);
    expect(list.json.descriptors[1]).toMatchObject({ deployments: [{ chainId: 31337, address: token.toLowerCase() }], functions: [{ signature: "transfer(address,uint256)", selector: "0xa9059cbb" }] });
    const outsiders = await call(listDescriptors, "GET", PATH, { cookie: outsider.cookie });
    expect(outsiders.json.descriptors).toHaveLength(1);
    expect(outsiders.json.descriptors[0].id).not.toBe(vaultId);
  });

  it("rejects invalid descriptors with 400 naming each path", async () => {
    const fieldsOf = (r: { json: { violations?: { field?: string }[] } }) => (r.json.violations ?? []).map((v) => v.field);
    const withIncludes = { ...vaultDescriptor(), includes: "./common.json" };
    let r = await add(withIncludes);
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["body.descriptor.includes"]);

    const noDeployments = vaultDescriptor();
    noDeployments.context.contract.deployments = [];
    r = await add(noDeployments);
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["body.descriptor.context.contract.deployments"]);

    r = await add(vaultDescriptor("Stake", "0x1234"));
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["body.descriptor.context.contract.deployments.0.address"]);

    const badField = vaultDescriptor();
    const fmt = badField.display.formats["stake(address pool, uint256 amount)"];
    fmt.fields[0]!.format = "percentage";
    delete (fmt.fields[1] as { label?: string }).label;
    r = await add(badField);
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual([
      "body.descriptor.display.formats.stake(address pool, uint256 amount).fields.0.format",
      "body.descriptor.display.formats.stake(address pool, uint256 amount).fields.1.label",
    ]);

    const badKey = { ...vaultDescriptor(), display: { formats: { "stake(address pool,": { intent: "x", fields: [] } } } };
    r = await add(badKey);
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["body.descriptor.display.formats.stake(address pool,"]);
    expect(r.json.message).toContain("is not a valid function signature");

    // Only the engine's dry run finds this: the path names no parameter of stake().
    const badPath = vaultDescriptor();
    badPath.display.formats["stake(address pool, uint256 amount)"].fields[0]!.path = "shares";
    r = await add(badPath);
    expect(r.status).toBe(400);
    expect(r.json.violations).toEqual([{ field: "body.descriptor.display.formats.stake(address pool, uint256 amount)", message: expect.stringContaining('no parameter "shares"') }]);

    r = await add({ ...vaultDescriptor(), context: { eip712: {} } });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(expect.arrayContaining(["body.descriptor.context.eip712", "body.descriptor.context.contract"]));

    r = await add([1, 2]);
    expect(fieldsOf(r)).toEqual(["body.descriptor"]);

    const huge = vaultDescriptor();
    (huge.metadata as Record<string, unknown>).padding = "x".repeat(MAX_DESCRIPTOR_BYTES);
    r = await add(huge);
    expect(r.status).toBe(400);
    expect(r.json.violations[0].message).toMatch(/at most 65536 are accepted/);

    r = await call(addDescriptor, "POST", PATH, { cookie: owner.cookie, body: { descriptor: vaultDescriptor(), extra: 1 } });
    expect(r.status).toBe(400);
    expect(await db().clearSignDescriptor.count({ where: { organizationId: owner.organizationId } })).toBe(2);
  });

  it("a second overlay for the same contract and selector is a 409", async () => {
    const r = await add(vaultDescriptor("Deposit"));
    expect(r.status).toBe(409);
    expect(r.json.message).toContain(vaultId);
  });

  it("viewers and keys without signers:manage cannot add or remove (403); a key with it can", async () => {
    expect((await add(vaultDescriptor("Other", pool), { cookie: viewer.cookie })).status).toBe(403);
    expect((await call(removeDescriptor, "DELETE", `${PATH}/${vaultId}`, { cookie: viewer.cookie, params: { id: vaultId } })).status).toBe(403);
    const readKey = await makeApiKey(owner.organizationId, ["approvals:read"]);
    expect((await call(listDescriptors, "GET", PATH, { apiKey: readKey.secret })).status).toBe(200);
    expect((await add(vaultDescriptor("Other", pool), { apiKey: readKey.secret })).status).toBe(403);
    const manageKey = await makeApiKey(owner.organizationId, ["signers:manage"]);
    const created = await add(vaultDescriptor("Other", pool), { apiKey: manageKey.secret });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const del = await call(removeDescriptor, "DELETE", `${PATH}/${created.json.descriptor.id}`, { apiKey: manageKey.secret, params: { id: created.json.descriptor.id } });
    expect(del.status).toBe(204);
  });

  it("DELETE removes a descriptor: drafts fall back to the vendor registry; a second DELETE is a 404", async () => {
    const del = await call(removeDescriptor, "DELETE", `${PATH}/${tokenId}`, { cookie: owner.cookie, params: { id: tokenId } });
    expect(del.status).toBe(204);
    const d = await draft([tokenTransfer(parseUnits("1", 18))]);
    expect(d.clearSigning.actionResults[0]).toMatchObject({ resolved: true, source: "vendor", descriptorId: "erc20" });
    expect((await call(removeDescriptor, "DELETE", `${PATH}/${tokenId}`, { cookie: owner.cookie, params: { id: tokenId } })).status).toBe(404);
    expect((await call(removeDescriptor, "DELETE", `${PATH}/not-a-uuid`, { cookie: owner.cookie, params: { id: "not-a-uuid" } })).status).toBe(400);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { organizationId: owner.organizationId, action: "clearsign.descriptor_removed", resourceId: tokenId } });
    expect(audit.details).toMatchObject({ functions: ["transfer(address,uint256)"] });
    const list = await call(listDescriptors, "GET", PATH, { cookie: owner.cookie });
    expect(list.json.descriptors.map((x: { id: string }) => x.id)).toEqual([vaultId]);
  });
});

describe("upload validation against the public ERC-7730 registry", () => {
  it("accepts every calldata descriptor of the registry once its includes are merged in", async () => {
    const files = listJsonFiles(join(VECTORS_DIR, "registry")).filter((f) => basename(f).startsWith("calldata-") && !f.endsWith(".tests.json"));
    expect(files.length).toBeGreaterThan(20);
    const rejected: string[] = [];
    for (const file of files) {
      const { includes: _merged, ...descriptor } = loadDescriptorFile(file) as Record<string, unknown>;
      const r = await validateUploadedDescriptor(JSON.parse(JSON.stringify(descriptor)));
      if (!r.ok) rejected.push(`${file}: ${JSON.stringify(r.violations)}`);
    }
    expect(rejected).toEqual([]);
  });
});
