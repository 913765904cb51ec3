import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, recoverMessageAddress, recoverTypedDataAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, syncNetworks, getNetwork } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { issueCredential } from "@/lib/auth/credentials";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent, CountersignApiError } from "@/lib/sdk/agent";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { POST as signComplete } from "@/app/api/v1/sign/complete/route";
import { GET as getBalance } from "@/app/api/v1/signers/[id]/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { agentIdentityOf, createDealtSigner } from "../helpers/signer";

useTestDatabase();

let devnet: Devnet;
let agent: CountersignAgent;
let ctx: Awaited<ReturnType<typeof createDealtSigner>> & { organizationId: string; cookie: string };
const recipient = "0x000000000000000000000000000000000000bEEF";

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  const owner = await makeUser();
  ctx = { ...(await createDealtSigner(owner)), organizationId: owner.organizationId, cookie: owner.cookie };
  agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: ctx.apiKey, share: ctx.agentShare, identity: ctx.agentIdentity, profile: FAST_TEST, fetch: appFetch });
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  const network = await getNetwork(db(), 31337);
  const hash = await walletClientFor(network, funder).sendTransaction({ to: ctx.signer.address, value: parseEther("2") });
  await publicClientFor(network).waitForTransactionReceipt({ hash });
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("Signer+Server signing through the agent SDK on the devnet", () => {
  it("sends a transaction: the server fills, co-signs and broadcasts it; the receipt succeeds and balances change", async () => {
    const client = publicClientFor(await getNetwork(db(), 31337));
    const before = await client.getBalance({ address: recipient });
    const sent = await agent.sendTransaction({ to: recipient, value: parseEther("0.25") });
    expect(sent.from).toBe(ctx.signer.address);
    const receipt = await client.waitForTransactionReceipt({ hash: sent.txHash });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(ctx.signer.address.toLowerCase());
    expect((await client.getBalance({ address: recipient })) - before).toBe(parseEther("0.25"));
    expect((await agent.status()).signer.address).toBe(ctx.signer.address);
  });

  it("signs EIP-191 messages and EIP-712 typed data that recover to the signer's address", async () => {
    const m = await agent.signMessage("I am the treasury bot");
    expect(await recoverMessageAddress({ message: "I am the treasury bot", signature: m.signature })).toBe(ctx.signer.address);
    expect(m.v === 27 || m.v === 28).toBe(true);
    const typedData = {
      domain: { name: "Countersign", version: "1", chainId: 31337 },
      types: { Mail: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }] },
      primaryType: "Mail" as const,
      message: { to: recipient, amount: 42n },
    };
    const t = await agent.signTypedData(typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature: t.signature })).toBe(ctx.signer.address);
  });

  it("keeps one signer's key out of another signer's session, and refuses organization keys", async () => {
    const session = await call(signSession, "POST", "/api/v1/sign/session", { apiKey: ctx.apiKey, body: { transaction: { to: recipient, value: "1" }, clientNonce: "ab".repeat(32), identityKey: agentIdentityOf(ctx).publicKey } });
    expect(session.status).toBe(201);
    const other = await db().signer.create({ data: { organizationId: ctx.organizationId, name: "other", chainId: 31337 } });
    const { secret: otherKey } = await issueCredential(db(), { organizationId: ctx.organizationId, kind: "signer_key", name: "other", scopes: ["sign"], subjectType: "signer", subjectId: other.id });
    const round = await call(signRound, "POST", "/x", { apiKey: otherKey, body: { sessionId: session.json.sessionId, seq: 1, messages: [] } });
    expect(round.status).toBe(404);
    const complete = await call(signComplete, "POST", "/x", { apiKey: otherKey, body: { sessionId: session.json.sessionId } });
    expect(complete.status).toBe(404);
    const outsider = await makeUser();
    expect((await call(getBalance, "GET", "/x", { cookie: outsider.cookie, params: { id: ctx.signer.id } })).status).toBe(404);
    const { secret: orgKey } = await issueCredential(db(), { organizationId: ctx.organizationId, kind: "organization_key", name: "org", scopes: ["sign", "signers:read"] });
    expect((await call(signSession, "POST", "/x", { apiKey: orgKey, body: { transaction: { to: recipient }, clientNonce: "ab".repeat(32) } })).status).toBe(403);
  });

  it("answers a paused signer with 403 in seed 000's shape, and completes nothing before the rounds finish", async () => {
    const early = await call(signSession, "POST", "/x", { apiKey: ctx.apiKey, body: { transaction: { to: recipient, value: "1" }, clientNonce: "cd".repeat(32), identityKey: agentIdentityOf(ctx).publicKey } });
    const premature = await call(signComplete, "POST", "/x", { apiKey: ctx.apiKey, body: { sessionId: early.json.sessionId } });
    expect(premature.status).toBe(409);
    await db().signer.update({ where: { id: ctx.signer.id }, data: { status: "paused" } });
    try {
      const err = await agent.sendTransaction({ to: recipient, value: 1n }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CountersignApiError);
      expect((err as CountersignApiError).status).toBe(403);
      expect((err as CountersignApiError).body).toEqual({ statusCode: 403, message: "Signer is paused" });
    } finally {
      await db().signer.update({ where: { id: ctx.signer.id }, data: { status: "active" } });
    }
  });
});
