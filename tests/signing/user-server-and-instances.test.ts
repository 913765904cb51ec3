import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, recoverMessageAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent } from "@/lib/sdk/agent";
import { localSignParty } from "@/lib/signing/local-party";
import { driveCeremony } from "@/lib/signing/driver";
import { POST as userSession } from "@/app/api/v1/signers/[id]/sign/session/route";
import { POST as userRound } from "@/app/api/v1/signers/[id]/sign/round/route";
import { POST as userComplete } from "@/app/api/v1/signers/[id]/sign/complete/route";
import { POST as agentRound } from "@/app/api/v1/sign/round/route";
import { POST as agentSession } from "@/app/api/v1/sign-message/session/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { agentIdentityOf, createDealtSigner } from "../helpers/signer";

const database = useTestDatabase();
let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let second: ChildProcess | undefined;
// EIP-55 checksummed (a mixed-case address with a wrong checksum is refused with 400).
const recipient = "0x000000000000000000000000000000000000c0DE";

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  s = await createDealtSigner(owner);
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  await publicClientFor(network).waitForTransactionReceipt({ hash: await walletClientFor(network, funder).sendTransaction({ to: s.signer.address, value: parseEther("1") }) });
}, 600_000);

afterAll(async () => {
  second?.kill("SIGTERM");
  await devnet?.stop();
});

describe("User+Server signing (the human's share with the server)", () => {
  it("signs and broadcasts a transaction from the dashboard session; the receipt succeeds", async () => {
    const params = { id: s.signer.id };
    const session = await call(userSession, "POST", "/x", { cookie: owner.cookie, params, body: { transaction: { to: recipient, value: parseEther("0.3").toString() }, clientNonce: "12".repeat(32) } });
    expect(session.status).toBe(201);
    expect(session.json.signers).toEqual([1, 2]);
    const party = localSignParty({ share: s.userShare, signers: session.json.signers, messageHash: session.json.messageHash.slice(2), sid: session.json.sid, profile: FAST_TEST });
    const post = async (body: object) => {
      const r = await call(userRound, "POST", "/x", { cookie: owner.cookie, params, body: { sessionId: session.json.sessionId, ...body } });
      if (r.status !== 200) throw new Error(`round ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json;
    };
    await driveCeremony({ transport: { submit: ({ seq, messages, after }) => post({ seq, messages, after }), poll: ({ after }) => post({ seq: 0, messages: [], after }) }, parties: [party], initial: session.json.messages });
    const done = await call(userComplete, "POST", "/x", { cookie: owner.cookie, params, body: { sessionId: session.json.sessionId } });
    expect(done.status).toBe(200);
    const client = publicClientFor(await getNetwork(db(), 31337));
    const receipt = await client.waitForTransactionReceipt({ hash: done.json.txHash });
    expect(receipt.status).toBe("success");
    expect(await client.getBalance({ address: recipient })).toBe(parseEther("0.3"));
    // the agent's key cannot drive the user's session
    expect((await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: session.json.sessionId, seq: 9, messages: [] } })).status).toBe(404);
  });
});

describe("several app instances on one database", () => {
  it("two server processes serve alternate rounds of one signing session", async () => {
    second = spawn(process.execPath, ["--import", "tsx", "tools/api-server.ts"], {
      env: { ...process.env, DATABASE_URL: database.current.url, DATABASE_POOL_MAX: "1", COUNTERSIGN_MPC_PROFILE: "fast-test", NODE_ENV: "test", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      second!.stdout!.on("data", (d: Buffer) => {
        const m = /listening (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      second!.on("exit", (code) => reject(new Error(`second instance exited ${code}`)));
    });
    const served = { here: 0, there: 0 };
    let n = 0;
    const alternating: typeof fetch = async (input, init) => {
      const url = new URL(input as string);
      if (n++ % 2 === 0) {
        served.here++;
        return appFetch(input, init);
      }
      served.there++;
      return fetch(`http://127.0.0.1:${port}${url.pathname}`, init);
    };
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: alternating });
    const signed = await agent.signMessage("served by two instances");
    expect(await recoverMessageAddress({ message: "served by two instances", signature: signed.signature })).toBe(s.signer.address);
    expect(served.here).toBeGreaterThanOrEqual(2);
    expect(served.there).toBeGreaterThanOrEqual(2);
  });

  it("an expired session answers 410 and its secret state is wiped", async () => {
    const session = await call(agentSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "late", clientNonce: "34".repeat(32), identityKey: agentIdentityOf(s).publicKey } });
    expect(session.status).toBe(201);
    await db().ceremony.update({ where: { id: session.json.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const party = localSignParty({ share: s.agentShare, signers: session.json.signers, messageHash: session.json.messageHash.slice(2), sid: session.json.sid, profile: FAST_TEST, identities: session.json.identities, identity: agentIdentityOf(s) });
    const late = await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: session.json.sessionId, seq: 1, messages: party.start() } });
    expect(late.status).toBe(410);
    expect(late.json).toEqual({ statusCode: 410, message: "This ceremony has expired; start a new one" });
    const row = await db().ceremony.findUniqueOrThrow({ where: { id: session.json.sessionId } });
    expect(row.status).toBe("expired");
    expect(row.serverState).toBeNull();
  });
});
