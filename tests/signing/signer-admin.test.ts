import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, parseUnits, type Abi, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { POST as pause } from "@/app/api/v1/signers/[id]/pause/route";
import { POST as resume } from "@/app/api/v1/signers/[id]/resume/route";
import { POST as regenerate } from "@/app/api/v1/signers/[id]/regenerate-key/route";
import { PATCH as patchSigner, DELETE as deleteSigner, GET as getSigner } from "@/app/api/v1/signers/[id]/route";
import { GET as balance } from "@/app/api/v1/signers/[id]/balance/route";
import { GET as ownBalance } from "@/app/api/v1/signer/balance/route";
import { POST as simulate } from "@/app/api/v1/signers/[id]/simulate/route";
import { GET as listTokens, POST as addToken } from "@/app/api/v1/signers/[id]/tokens/route";
import { DELETE as removeToken } from "@/app/api/v1/signers/[id]/tokens/[tokenId]/route";
import { GET as tokenBalances } from "@/app/api/v1/signers/[id]/token-balances/route";
import { GET as getUserShare, POST as putUserShare } from "@/app/api/v1/signers/[id]/user-share/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { GET as signerStatus } from "@/app/api/v1/signer/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { createDealtSigner } from "../helpers/signer";

useTestDatabase();

let devnet: Devnet;
let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createDealtSigner>>;
let token: `0x${string}`;
const params = () => ({ id: s.signer.id });

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  owner = await makeUser();
  s = await createDealtSigner(owner);
  const network = await getNetwork(db(), 31337);
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  const wallet = walletClientFor(network, funder);
  const client = publicClientFor(network);
  await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: s.signer.address, value: parseEther("1.5") }) });
  // A real ERC-20 (OpenZeppelin's fixed-supply preset) minted straight to the signer.
  const artifact = JSON.parse(readFileSync("node_modules/@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json", "utf8")) as { abi: Abi; bytecode: Hex };
  const deploy = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: ["Test USD", "TUSD", parseUnits("1000", 18), s.signer.address] });
  token = (await client.waitForTransactionReceipt({ hash: deploy })).contractAddress!;
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("signer management and the chain around it", () => {
  it("reports native balance to the dashboard and to the signer's own key", async () => {
    const b = await call(balance, "GET", "/x", { cookie: owner.cookie, params: params() });
    expect(b.json).toMatchObject({ address: s.signer.address, chainId: 31337, balance: parseEther("1.5").toString(), formatted: "1.5", symbol: "ETH" });
    expect((await call(ownBalance, "GET", "/x", { apiKey: s.apiKey })).json.formatted).toBe("1.5");
  });

  it("simulates calls with a gas estimate, and returns the revert reason of a failing one", async () => {
    const ok = await call(simulate, "POST", "/x", { cookie: owner.cookie, params: params(), body: { to: "0x000000000000000000000000000000000000dEaD", value: "1000" } });
    expect(ok.json).toMatchObject({ success: true, revertReason: null });
    expect(BigInt(ok.json.gasEstimate)).toBeGreaterThanOrEqual(21000n);
    // transfer(address,uint256) of more tokens than the signer holds
    const data = `0xa9059cbb${"000000000000000000000000000000000000000000000000000000000000dEaD".toLowerCase().padStart(64, "0")}${(10n ** 40n).toString(16).padStart(64, "0")}`;
    const bad = await call(simulate, "POST", "/x", { cookie: owner.cookie, params: params(), body: { to: token, data } });
    expect(bad.json.success).toBe(false);
    expect(bad.json.revertReason).toMatch(/transfer amount exceeds balance/);
  });

  it("tracks ERC-20 tokens with metadata from the chain and reads all balances in one multicall", async () => {
    const added = await call(addToken, "POST", "/x", { cookie: owner.cookie, params: params(), body: { address: token } });
    expect(added.status).toBe(201);
    expect(added.json.token).toMatchObject({ symbol: "TUSD", decimals: 18, name: "Test USD" });
    expect((await call(addToken, "POST", "/x", { cookie: owner.cookie, params: params(), body: { address: token } })).status).toBe(409);
    const notToken = await call(addToken, "POST", "/x", { cookie: owner.cookie, params: params(), body: { address: "0x000000000000000000000000000000000000dEaD" } });
    expect(notToken.status).toBe(400);
    const balances = await call(tokenBalances, "GET", "/x", { cookie: owner.cookie, params: params() });
    expect(balances.json.tokens).toEqual([expect.objectContaining({ symbol: "TUSD", balance: parseUnits("1000", 18).toString(), formatted: "1000" })]);
    const del = await call(removeToken, "DELETE", "/x", { cookie: owner.cookie, params: { ...params(), tokenId: added.json.token.id } });
    expect(del.status).toBe(204);
    expect((await call(listTokens, "GET", "/x", { cookie: owner.cookie, params: params() })).json.tokens).toEqual([]);
  });

  it("stores and returns the encrypted user share as an opaque blob", async () => {
    const blob = { ciphertext: "b64:" + "A".repeat(64), encryption: { scheme: "webauthn-prf", credentialId: "cred-1", salt: "c2FsdA", iv: "aXY", kdf: "hkdf-sha256" } };
    expect((await call(getUserShare, "GET", "/x", { cookie: owner.cookie, params: params() })).status).toBe(404);
    expect((await call(putUserShare, "POST", "/x", { cookie: owner.cookie, params: params(), body: blob })).status).toBe(200);
    const got = await call(getUserShare, "GET", "/x", { cookie: owner.cookie, params: params() });
    expect(got.json).toMatchObject(blob);
    // The public Paillier moduli of the user's and the server's party, for the dialog's nonce precomputation.
    expect(got.json.paillier).toEqual({ user: s.userShare.aux.parties[2]!.N, server: s.userShare.aux.parties[1]!.N });
    // …and the server's ring-Pedersen parameters with the instance's profile, for the proofs' masks.
    const server = s.userShare.aux.parties[1]!;
    expect(got.json.ringPedersen).toEqual({ server: { N: server.NHat, s: server.s, t: server.t }, profile: "fast-test" });
    const outsider = await makeUser();
    expect((await call(getUserShare, "GET", "/x", { cookie: outsider.cookie, params: params() })).status).toBe(404);
  });

  it("pauses and resumes signing, renames, and rotates the API key (the old one dies at once)", async () => {
    expect((await call(pause, "POST", "/x", { cookie: owner.cookie, params: params() })).json.signer.status).toBe("paused");
    const refused = await call(signSession, "POST", "/x", { apiKey: s.apiKey, body: { transaction: { to: token }, clientNonce: "ab".repeat(32) } });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ statusCode: 403, message: "Signer is paused" });
    expect((await call(pause, "POST", "/x", { cookie: owner.cookie, params: params() })).status).toBe(409);
    expect((await call(resume, "POST", "/x", { cookie: owner.cookie, params: params() })).json.signer.status).toBe("active");

    expect((await call(patchSigner, "PATCH", "/x", { cookie: owner.cookie, params: params(), body: { name: "Renamed" } })).json.signer.name).toBe("Renamed");
    expect((await call(patchSigner, "PATCH", "/x", { cookie: owner.cookie, params: params(), body: {} })).status).toBe(400);

    const rotated = await call(regenerate, "POST", "/x", { cookie: owner.cookie, params: params() });
    expect(rotated.status).toBe(200);
    expect((await call(signerStatus, "GET", "/x", { apiKey: s.apiKey })).status).toBe(401);
    expect((await call(signerStatus, "GET", "/x", { apiKey: rotated.json.apiKey.secret })).json.signer.name).toBe("Renamed");
    s.apiKey = rotated.json.apiKey.secret;
  });

  it("delete wipes the server share and the signer's keys; the signer is gone for everyone", async () => {
    const viewer = await makeUser({ organizationId: owner.organizationId, role: "viewer" });
    expect((await call(deleteSigner, "DELETE", "/x", { cookie: viewer.cookie, params: params() })).status).toBe(403);
    expect((await call(deleteSigner, "DELETE", "/x", { cookie: owner.cookie, params: params() })).status).toBe(204);
    expect(await db().signerShare.count({ where: { signerId: s.signer.id } })).toBe(0);
    expect(await db().userShare.count({ where: { signerId: s.signer.id } })).toBe(0);
    expect((await call(getSigner, "GET", "/x", { cookie: owner.cookie, params: params() })).status).toBe(404);
    expect((await call(signerStatus, "GET", "/x", { apiKey: s.apiKey })).status).toBe(401);
  });
});
