/**
 * `countersign mcp`'s tools (lib/sdk/mcp.ts behind createCountersignToolsServer), driven by the SDK's
 * Client: a signer made by real key generation, funded on anvil; transfers and signatures go
 * through the normal signing sessions, so the guardrails decide: allowed → signed and broadcast,
 * a spend limit → refused with its violation, a require_approval rule → pending_approval with a
 * session_id, approved by a human through the real approve route, then wait_for_approval returns
 * the transaction.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, parseEther, recoverMessageAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { POST as approve } from "@/app/api/v1/signing-requests/[id]/approve/route";
import { POST as challenge } from "@/app/api/v1/approvals/challenge/route";
import { POST as createPolicy } from "@/app/api/v1/signers/[id]/policies/route";
import { GET as sessionStatus } from "@/app/api/v1/sign/session/[id]/route";
import { GET as signerBalance } from "@/app/api/v1/signer/balance/route";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { db } from "@/lib/db/client";
import { createCountersignToolsServer } from "@/lib/gateway/mcp/tools";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent, type PendingApproval } from "@/lib/sdk/agent";
import { localToolsBackend } from "@/lib/sdk/mcp";
import { appFetch } from "../helpers/app-fetch";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { activateRules, createDealtSigner } from "../helpers/signer";
import { assertionHeader, SoftAuthenticator } from "../helpers/soft-authenticator";

useTestDatabase();

const ETH = 10n ** 18n;
const bob = "0x000000000000000000000000000000000000b0B0";
let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let passkey: SoftAuthenticator;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let client: Client;

/** appFetch plus the session status the SDK polls while parked, and the signer's balance. */
const agentFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const path = new URL(req.url).pathname;
  const m = /^\/api\/v1\/sign\/session\/([^/]+)$/.exec(path);
  if (req.method === "GET" && m) return sessionStatus(req, { params: Promise.resolve({ id: m[1] }) });
  if (req.method === "GET" && path === "/api/v1/signer/balance") return signerBalance(req, { params: Promise.resolve({}) });
  return appFetch(req);
};

const result = (r: CallToolResult) => r.structuredContent as Record<string, any>;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  passkey = new SoftAuthenticator();
  await passkey.register(owner.user.id);
  s = await createDealtSigner(owner, 31337, "MCP bot");
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: s.signer.address, value: parseEther("5") }) });
  expect((await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { type: "daily_limit", config: { maxAmount: (2n * ETH).toString() } } })).status).toBe(201);
  await activateRules(owner.organizationId, s.signer.id, [{ id: "big-payments", description: "Payments above 0.1 ETH need a human", when: { field: "value", op: "gt", value: (ETH / 10n).toString() }, action: "require_approval" }]);

  const agentFor = (onPendingApproval?: (p: PendingApproval) => void) =>
    new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, signerId: s.signer.id, chainId: 31337, profile: FAST_TEST, fetch: agentFetch, approvalPoll: { initialMs: 20, maxMs: 100 }, onPendingApproval });
  const backend = localToolsBackend({
    agent: (onPending) => agentFor(onPending),
    async balance() {
      const r = await agentFetch("http://localhost:3000/api/v1/signer/balance", { headers: { "x-api-key": s.apiKey } });
      return r.json();
    },
    approvalWaitMs: 0,
  });
  const server = createCountersignToolsServer(backend);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(b);
}, 600_000);

afterAll(async () => {
  await client?.close();
  await devnet?.stop();
});

describe("countersign mcp tools with a real signer", () => {
  it("lists the wallet tools (no check without gateway credentials)", async () => {
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(["get_address", "get_balance", "propose_transfer", "sign_message", "sign_typed_data", "wait_for_approval"]);
  });

  it("get_address and get_balance read the signer", async () => {
    expect(result((await client.callTool({ name: "get_address", arguments: {} })) as CallToolResult)).toMatchObject({ signer_id: s.signer.id, address: s.signer.address, chain_id: 31337 });
    expect(result((await client.callTool({ name: "get_balance", arguments: {} })) as CallToolResult)).toMatchObject({ address: getAddress(s.signer.address), balance: (5n * ETH).toString(), formatted: "5" });
  });

  it("propose_transfer within the guardrails: signed and broadcast", async () => {
    const r = (await client.callTool({ name: "propose_transfer", arguments: { to: bob, value: "0.05" } })) as CallToolResult;
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const out = result(r);
    expect(out.status).toBe("signed");
    const receipt = await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: out.result.txHash });
    expect(receipt.status).toBe("success");
    expect(getAddress(receipt.to!)).toBe(getAddress(bob));
  });

  it("propose_transfer over a require_approval rule: pending_approval with a pointer; approved, wait_for_approval returns the transaction", async () => {
    const r = (await client.callTool({ name: "propose_transfer", arguments: { to: bob, value: "0.5" } })) as CallToolResult;
    const pending = result(r);
    expect(pending).toMatchObject({ status: "pending_approval", session_id: expect.any(String), signing_request_id: expect.any(String) });
    expect(pending.reasons.join(" ")).toContain("big-payments");
    const id = pending.signing_request_id;
    const c = await call(challenge, "POST", "/x", { cookie: owner.cookie, body: { signingRequestId: id } });
    const decided = await call(approve, "POST", "/x", { cookie: owner.cookie, params: { id }, headers: c.status === 200 ? { "x-countersign-assertion": assertionHeader(c.json.challengeId, passkey.assert(c.json.options.challenge)) } : {} });
    expect(decided.status).toBe(200);
    const done = result((await client.callTool({ name: "wait_for_approval", arguments: { session_id: pending.session_id, timeout_seconds: 120 } })) as CallToolResult);
    expect(done.status).toBe("signed");
    const receipt = await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: done.result.txHash });
    expect(receipt.status).toBe("success");
  });

  it("propose_transfer over the spend limit: refused with the guardrail's violation, nothing signed", async () => {
    const r = (await client.callTool({ name: "propose_transfer", arguments: { to: bob, value: "3" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(result(r)).toMatchObject({ status: "refused" });
    expect(result(r).violations.length).toBeGreaterThan(0);
    expect((r.content[0] as { text: string }).text).toMatch(/^SIGNING_REFUSED: /);
  });

  it("sign_message: an EIP-191 signature by the signer's address; a call with neither message nor hex is invalid", async () => {
    const out = result((await client.callTool({ name: "sign_message", arguments: { message: "hello from MCP" } })) as CallToolResult);
    expect(out.status).toBe("signed");
    expect(await recoverMessageAddress({ message: "hello from MCP", signature: out.result.signature })).toBe(getAddress(s.signer.address));
    const bad = await client.callTool({ name: "sign_message", arguments: {} }).then((r) => r as CallToolResult, (e) => e);
    expect(JSON.stringify(bad)).toMatch(/exactly one of message or hex/);
  });

  it("wait_for_approval with an unknown session id is an invalid call", async () => {
    const r = await client.callTool({ name: "wait_for_approval", arguments: { session_id: "nope" } }).then((x) => x as CallToolResult, (e) => e);
    expect(JSON.stringify(r)).toMatch(/No signing request of this session waits under nope/);
  });
});
