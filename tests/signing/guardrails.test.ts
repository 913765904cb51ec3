/**
 * Guardrails in the signing path, through the real API on a real database and the devnet: limits at
 * their boundary, stacked violations, rules documents, exact spend accounting under concurrent
 * session starts (reserve / release / commit), the decision audit trail, and the SDK and CLI
 * surfacing a refusal.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent, PolicyViolationError } from "@/lib/sdk/agent";
import { encryptShareFile } from "@/lib/sdk/share-file";
import { localSignParty } from "@/lib/signing/local-party";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { decideSigning } from "@/lib/signing/guardrails";
import { createCeremonyShell } from "@/lib/signing/ceremonies";
import { POST as createPolicy } from "@/app/api/v1/signers/[id]/policies/route";
import { PATCH as updatePolicy } from "@/app/api/v1/policies/[id]/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { GET as listNetworks } from "@/app/api/v1/networks/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { activateRules, agentIdentityOf, createDealtSigner, createSignerViaDkg, type CreatedSigner } from "../helpers/signer";
import { cli, PASSPHRASE, removeTempHomes, tempHome } from "../sdk/cli-harness";

const database = useTestDatabase();

type SignerCtx = Awaited<ReturnType<typeof createDealtSigner>>;
let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let a: SignerCtx;
let b: SignerCtx;
// EIP-55: the checksummed form of this address is all-lowercase ("A11c" would be a wrong checksum, refused).
const alice = "0x000000000000000000000000000000000000a11c";
const bob = "0x0000000000000000000000000000000000000B0b";
const ETH = 10n ** 18n;
let nonce = 0;
const clientNonce = () => (++nonce).toString(16).padStart(64, "0");

async function fund(address: string, eth: string) {
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: address as Hex, value: parseEther(eth) }) });
}

async function policy(signerId: string, type: string, config: object) {
  const r = await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: signerId }, body: { type, config } });
  expect(r.status).toBe(201);
  return r.json.policy as { id: string; version: number };
}

const start = (s: CreatedSigner, to: string, value: bigint) => call(signSession, "POST", "/api/v1/sign/session", { apiKey: s.apiKey, body: { transaction: { to, value: value.toString() }, clientNonce: clientNonce(), identityKey: agentIdentityOf(s).publicKey } });

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  a = await createDealtSigner(owner, 31337, "Limits bot");
  // One signer through the real three-party key generation: npm test's PostgreSQL lane runs this
  // file, and no other suite there generates a key (its ceremony queries on a real server).
  b = await createSignerViaDkg(owner.cookie, 31337, "Race bot");
  await fund(a.signer.address, "5");
  await fund(b.signer.address, "5");
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
  await removeTempHomes();
});

describe("built-in policies at session start", () => {
  let daily: { id: string; version: number };

  it("passes a daily limit exactly at the limit and refuses one wei over with 403 in seed 000's shape", async () => {
    daily = await policy(a.signer.id, "daily_limit", { maxAmount: ETH.toString() });
    expect((await start(a, alice, (4n * ETH) / 10n)).status).toBe(201);
    const atLimit = await start(a, alice, (6n * ETH) / 10n);
    expect(atLimit.status).toBe(201);
    expect(atLimit.json).toMatchObject({ status: "open", approvals: [] });
    const over = await start(a, alice, 1n);
    expect(over.status).toBe(403);
    expect(over.json).toEqual({ statusCode: 403, message: "Policy violation", violations: [{ policyId: daily.id, type: "daily_limit", message: "Transaction would exceed daily limit of 1.0 ETH (1.0 ETH already spent in the last 24 h)" }] });
    // the denial is recorded with its decision; the allowed sessions hold their reservations
    const rows = await db().signingRequest.findMany({ where: { signerId: a.signer.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.outcome, r.status])).toEqual([["allow", "reserved"], ["allow", "reserved"], ["deny", "denied"]]);
    expect(rows[0]!.spend).toEqual([{ asset: "native", amount: ((4n * ETH) / 10n).toString() }]);
    expect(rows[2]!.ceremonyId).toBeNull();
  });

  it("lists every violation of stacked policies", async () => {
    const spending = await policy(a.signer.id, "spending_limit", { maxAmount: (ETH / 2n).toString() });
    const blocked = await policy(a.signer.id, "blocked_addresses", { addresses: [bob] });
    const r = await start(a, bob, 2n * ETH);
    expect(r.status).toBe(403);
    expect(r.json.violations.map((v: { policyId: string; type: string }) => [v.policyId, v.type])).toEqual([
      [daily.id, "daily_limit"],
      [spending.id, "spending_limit"],
      [blocked.id, "blocked_addresses"],
    ]);
    for (const v of r.json.violations) expect(v.message).toEqual(expect.any(String));
    // disabled policies are not evaluated
    for (const p of [spending, blocked]) expect((await call(updatePolicy, "PATCH", "/x", { cookie: owner.cookie, params: { id: p.id }, body: { enabled: false } })).status).toBe(200);
    expect((await start(a, bob, 2n * ETH)).json.violations).toHaveLength(1);
  });

  it("records every decision in the audit trail with the policy versions that made it", async () => {
    const events = await db().auditEvent.findMany({ where: { organizationId: owner.organizationId, action: { in: ["signing.allowed", "signing.denied", "signing.approval_required"] }, resourceId: a.signer.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["signing.allowed", "signing.allowed", "signing.denied", "signing.denied", "signing.denied"]);
    const denied = events[2]!;
    expect(denied.outcome).toBe("denied");
    const details = denied.details as { policies: { id: string; version: number }[]; violations: { type: string }[]; signingRequestId: string; document: unknown };
    expect(details.policies).toEqual([{ id: daily.id, version: 1 }]);
    expect(details.violations.map((v) => v.type)).toEqual(["daily_limit"]);
    expect(details.document).toBeNull();
    const row = await db().signingRequest.findUniqueOrThrow({ where: { id: details.signingRequestId } });
    expect((row.decision as { evaluated: unknown }).evaluated).toEqual({ policies: [{ id: daily.id, version: 1 }] });
    // the stacked denial names all three policies; once two are disabled only the daily limit is evaluated
    expect((events[3]!.details as { policies: unknown[] }).policies).toHaveLength(3);
    expect((events[4]!.details as { policies: unknown[] }).policies).toEqual([{ id: daily.id, version: 1 }]);
  });

  it("puts every decision into the transparency log in its own transaction, with its audit event (issue #14)", async () => {
    const events = await db().auditEvent.findMany({ where: { organizationId: owner.organizationId, action: { in: ["signing.allowed", "signing.denied"] }, resourceId: a.signer.id }, orderBy: { seq: "asc" } });
    for (const e of events) {
      const d = e.details as { signingRequestId: string; decision: string; messageHash: string; policies: unknown };
      const [entry] = await db().tlogEntry.findMany({ where: { decisionId: d.signingRequestId } });
      const leaf = JSON.parse(Buffer.from(entry!.event!).toString("utf8"));
      expect(leaf).toMatchObject({ kind: "signing.decision", id: d.signingRequestId, org: owner.organizationId, decision: d.decision, digest: d.messageHash, subject: { type: "signer", id: a.signer.id }, policies: d.policies });
      const audit = await db().tlogEntry.findMany({ where: { decisionId: e.id } });
      expect(JSON.parse(Buffer.from(audit[0]!.event!).toString("utf8"))).toMatchObject({ kind: "audit", action: e.action, outcome: e.outcome, resource: { type: "signer", id: a.signer.id } });
    }
  });

  it("a Signer+Server send over the daily limit is refused through the SDK with the violations", async () => {
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: a.apiKey, share: a.agentShare, identity: a.agentIdentity, profile: FAST_TEST, fetch: appFetch });
    const err = await agent.sendTransaction({ to: alice, value: 1n }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyViolationError);
    expect((err as PolicyViolationError).status).toBe(403);
    expect((err as PolicyViolationError).violations).toEqual([{ policyId: daily.id, type: "daily_limit", message: expect.stringContaining("daily limit") }]);
  });

  it("and through the CLI: each violation printed, exit code 3", async () => {
    const home = await tempHome();
    const file = await encryptShareFile({ share: a.agentShare, apiKey: a.apiKey, signerId: a.signer.id, address: a.signer.address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" }, PASSPHRASE, { scryptN: 2 ** 14 });
    const path = join(home, "share.json");
    await writeFile(path, JSON.stringify(file));
    const cliFetch: typeof fetch = async (input, init) => {
      const req = new Request(input as string | URL, init);
      return new URL(req.url).pathname === "/api/v1/networks" ? listNetworks(req, { params: Promise.resolve({}) }) : appFetch(req);
    };
    const run = cli(home, { fetch: cliFetch });
    expect((await run("import", path)).code).toBe(0);
    const sent = await run("send", "--to", alice, "--value", "0.1");
    expect(sent.code).toBe(3);
    expect(sent.stderr).toContain("Refused: Policy violation");
    expect(sent.stderr).toMatch(/daily_limit: Transaction would exceed daily limit of 1.0 ETH \(1.0 ETH already spent/);
    expect(sent.stdout).toBe("");
  });
});

describe("rules documents at session start", () => {
  it("a deny rule refuses (403 listing the rule) and a require_approval rule parks the session (202)", async () => {
    const doc = await activateRules(owner.organizationId, a.signer.id, [
            { id: "no-bob", description: "Never pay Bob", when: { field: "to", op: "eq", value: bob }, action: "deny" },
            { id: "messages-need-a-human", when: { field: "kind", op: "eq", value: "message" }, action: "require_approval" },
          ]);
    const denied = await start(a, bob, 0n);
    expect(denied.status).toBe(403);
    expect(denied.json.violations).toEqual([{ policyId: doc.id, type: "rule", message: 'Denied by rule "no-bob": Never pay Bob' }]);

    const parked = await call(messageSession, "POST", "/x", { apiKey: a.apiKey, body: { message: "hello", clientNonce: clientNonce(), identityKey: agentIdentityOf(a).publicKey } });
    expect(parked.status).toBe(202);
    expect(parked.json).toMatchObject({ status: "pending_approval", messages: [], approvals: [expect.stringContaining("messages-need-a-human")] });
    const row = await db().signingRequest.findUniqueOrThrow({ where: { id: parked.json.signingRequestId } });
    expect(row).toMatchObject({ outcome: "require_approval", status: "pending_approval", ceremonyId: parked.json.sessionId });
    expect((row.decision as { evaluated: unknown }).evaluated).toMatchObject({ document: { id: doc.id, version: 1 } });
    const c = await db().ceremony.findUniqueOrThrow({ where: { id: parked.json.sessionId } });
    expect(c.status).toBe("pending_approval");
    expect(c.serverState).toBeNull();
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "signing.approval_required", resourceId: a.signer.id } });
    expect(audit.details).toMatchObject({ document: { id: doc.id, version: 1 }, signingRequestId: row.id });
    await db().policyDocument.delete({ where: { id: doc.id } });
  });
});

describe("spend accounting under concurrency", () => {
  let daily: { id: string };

  it("two simultaneous sessions cannot both pass a daily limit only one of them fits", async () => {
    daily = await policy(b.signer.id, "daily_limit", { maxAmount: ETH.toString() });
    const [x, y] = await Promise.all([start(b, alice, (6n * ETH) / 10n), start(b, alice, (6n * ETH) / 10n)]);
    expect([x.status, y.status].sort()).toEqual([201, 403]);
    const loser = x.status === 403 ? x : y;
    expect(loser.json.violations).toEqual([{ policyId: daily.id, type: "daily_limit", message: expect.stringContaining("0.6 ETH already spent") }]);
    // and through the in-process fetch the SDK uses
    const [p, q] = await Promise.all(
      [1, 2].map(() => appFetch("http://localhost:3000/api/v1/sign/session", { method: "POST", headers: { "x-api-key": b.apiKey, "content-type": "application/json" }, body: JSON.stringify({ transaction: { to: alice, value: ((4n * ETH) / 10n).toString() }, clientNonce: clientNonce(), identityKey: agentIdentityOf(b).publicKey }) })),
    );
    expect([p!.status, q!.status].sort()).toEqual([201, 403]);
  });

  it("decisions racing on several database connections at once still fit the limit exactly", async () => {
    // PGlite serves one connection; a real PostgreSQL server gets a pool of four racing transactions.
    const pool = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max: database.current.kind === "postgres" ? 4 : 1 }) }) as Db;
    try {
      const signer = await db().signer.create({ data: { organizationId: owner.organizationId, name: "Pool bot", chainId: 31337 } });
      await policy(signer.id, "daily_limit", { maxAmount: ETH.toString() });
      const decide = (i: number) =>
        decideSigning(pool, {
          organizationId: owner.organizationId,
          signerId: signer.id,
          mode: "signer_server",
          request: { kind: "transaction", chainId: 31337, to: alice, value: (3n * ETH) / 10n, data: "0x" },
          messageHash: `0x${i.toString(16).padStart(64, "0")}`,
          audit: { actor: { type: "system" } },
          openCeremony: (tx, status) => createCeremonyShell(tx, { id: crypto.randomUUID(), organizationId: owner.organizationId, signerId: signer.id, kind: "sign", parties: [0, 1], context: {}, status }),
        });
      const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(decide));
      expect(results.filter((r) => r.decision.outcome === "allow")).toHaveLength(3);
      expect(results.filter((r) => r.decision.outcome === "deny")).toHaveLength(4);
      expect(await db().signingRequest.count({ where: { signerId: signer.id, status: "reserved" } })).toBe(3);
    } finally {
      await pool.$disconnect();
    }
  });

  it("aborting a session releases its reservation; so does expiry", async () => {
    const winners = await db().signingRequest.findMany({ where: { signerId: b.signer.id, status: "reserved" }, orderBy: { createdAt: "asc" } });
    expect(winners).toHaveLength(2);
    expect((await start(b, alice, 1n)).status).toBe(403);

    // abort the 0.6 ETH session: the same sequence number sent again with a different body
    const first = winners[0]!;
    const view = await db().ceremony.findUniqueOrThrow({ where: { id: first.ceremonyId! } });
    const ctx = view.context as { sid: string; messageHash: string; signers: number[]; identities: Record<string, string> };
    const party = localSignParty({ share: b.agentShare, signers: ctx.signers, messageHash: ctx.messageHash, sid: ctx.sid, profile: FAST_TEST, identities: ctx.identities, identity: agentIdentityOf(b) });
    const out = party.start();
    expect((await call(signRound, "POST", "/x", { apiKey: b.apiKey, body: { sessionId: view.id, seq: 1, messages: out } })).status).toBe(200);
    const conflicting = await call(signRound, "POST", "/x", { apiKey: b.apiKey, body: { sessionId: view.id, seq: 1, messages: out.slice(0, 1).map((m) => ({ ...m, round: m.round + 1 })) } });
    expect(conflicting.status).toBe(409);
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("released");
    expect((await start(b, alice, (6n * ETH) / 10n)).status).toBe(201);
    expect((await start(b, alice, 1n)).status).toBe(403);

    // expire the 0.4 ETH session: its reservation is released at the next decision
    await db().ceremony.update({ where: { id: winners[1]!.ceremonyId! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await start(b, alice, (4n * ETH) / 10n)).status).toBe(201);
    expect((await db().signingRequest.findUniqueOrThrow({ where: { id: winners[1]!.id } })).status).toBe("released");
    expect((await db().ceremony.findUniqueOrThrow({ where: { id: winners[1]!.ceremonyId! } })).status).toBe("expired");
  });

  it("a completed broadcast commits its spend, which keeps counting", async () => {
    // release the open reservations so the SDK's send fits
    await db().ceremony.updateMany({ where: { signerId: b.signer.id, status: "open" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: b.apiKey, share: b.agentShare, identity: b.agentIdentity, profile: FAST_TEST, fetch: appFetch });
    const sent = await agent.sendTransaction({ to: alice, value: (7n * ETH) / 10n });
    const receipt = await publicClientFor(await getNetwork(db(), 31337)).waitForTransactionReceipt({ hash: sent.txHash });
    expect(receipt.status).toBe("success");
    const row = await db().signingRequest.findFirstOrThrow({ where: { signerId: b.signer.id, txHash: sent.txHash } });
    expect(row.status).toBe("committed");
    const refused = await start(b, alice, (4n * ETH) / 10n);
    expect(refused.status).toBe(403);
    expect(refused.json.violations[0].message).toContain("0.7 ETH already spent");
    expect((await start(b, alice, (3n * ETH) / 10n)).status).toBe(201);
  });
});
