import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther } from "viem";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor } from "@/lib/chain/networks";
import { encodeKeyShare } from "@/lib/mpc";
import { decryptUserShare, encryptUserShare, randomSalt } from "@/lib/signing/user-share-crypto";
import { POST as fund } from "@/app/api/v1/signers/[id]/fund/route";
import { GET as getUserShare, POST as putUserShare } from "@/app/api/v1/signers/[id]/user-share/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { createDealtSigner } from "../helpers/signer";

useTestDatabase();

let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  s = await createDealtSigner(owner);
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("POST /signers/{id}/fund (local devnet only)", () => {
  it("sends 1 ETH from the documented dev account and records it in the audit trail", async () => {
    const client = publicClientFor(await getNetwork(db(), 31337));
    const before = await client.getBalance({ address: s.signer.address });
    const r = await call(fund, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: {} });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to: s.signer.address, value: parseEther("1").toString(), chainId: 31337 });
    expect(r.json.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await client.getBalance({ address: s.signer.address })).toBe(before + parseEther("1"));
    const audit = await db().auditEvent.findFirst({ where: { action: "signer.funded_from_devnet", resourceId: s.signer.id } });
    expect(audit?.details).toMatchObject({ txHash: r.json.txHash, chainId: 31337 });
  });

  it("another organization sees 404; the signer's API key and read-only members cannot fund", async () => {
    const stranger = await makeUser();
    const other = await call(fund, "POST", "/x", { cookie: stranger.cookie, params: { id: s.signer.id }, body: {} });
    expect(other.status).toBe(404);
    expect(other.json).toMatchObject({ statusCode: 404 });
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    expect((await call(fund, "POST", "/x", { cookie: viewer.cookie, params: { id: s.signer.id }, body: {} })).status).toBe(403);
    expect([401, 403]).toContain((await call(fund, "POST", "/x", { apiKey: s.apiKey, params: { id: s.signer.id }, body: {} })).status);
    expect((await call(fund, "POST", "/x", { cookie: owner.cookie, params: { id: "not-a-uuid" }, body: {} })).status).toBe(400);
  });

  it("refuses a signer whose network is not the local devnet with 403", async () => {
    await syncNetworks(db(), [
      { chainId: 424242, name: "Some testnet", rpcUrl: devnet.rpcUrl, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: false },
    ]);
    await db().signer.update({ where: { id: s.signer.id }, data: { chainId: 424242 } });
    try {
      const r = await call(fund, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: {} });
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ statusCode: 403, message: "Funding from the devnet is only available for signers on the local devnet" });
    } finally {
      await db().signer.update({ where: { id: s.signer.id }, data: { chainId: 31337 } });
    }
  });
});

describe("user share stored from the browser", () => {
  it("the server keeps only the ciphertext and metadata; the owner's PRF key opens it again", async () => {
    const prfOutput = crypto.getRandomValues(new Uint8Array(32));
    const record = await encryptUserShare({ signerId: s.signer.id, profile: "fast-test", share: encodeKeyShare(s.userShare), material: { scheme: "webauthn-prf", prfOutput, credentialId: "Y3JlZA" }, salt: randomSalt() });
    const put = await call(putUserShare, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: record });
    expect(put.status).toBe(200);
    const row = await db().userShare.findUniqueOrThrow({ where: { signerId: s.signer.id } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(s.userShare.core.publicKey);
    expect(stored).not.toContain(String(s.userShare.aux.parties[0]!.N).slice(0, 64));
    const got = await call(getUserShare, "GET", "/x", { cookie: owner.cookie, params: { id: s.signer.id } });
    const opened = await decryptUserShare({ signerId: s.signer.id, record: got.json, material: { scheme: "webauthn-prf", prfOutput, credentialId: "Y3JlZA" } });
    expect(opened.share).toBe(encodeKeyShare(s.userShare));
    // The passphrase fallback is accepted by the contract too.
    const pass = await encryptUserShare({ signerId: s.signer.id, profile: "fast-test", share: "x".repeat(32), material: { scheme: "passphrase", passphrase: "a long passphrase" } });
    expect((await call(putUserShare, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: pass })).status).toBe(200);
  });
});
