/** The CLI end to end: a signer made by real DKG, its share encrypted and imported, signing on anvil. */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, recoverMessageAddress, recoverTypedDataAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { db } from "@/lib/db/client";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { configuredNetworks, getNetwork, syncNetworks } from "@/lib/chain/network-registry";
import { publicClientFor, walletClientFor } from "@/lib/chain/networks";
import { encryptShareFile } from "@/lib/sdk/share-file";
import { GET as listNetworks } from "@/app/api/v1/networks/route";
import { GET as signerBalance } from "@/app/api/v1/signer/balance/route";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { createDealtSigner } from "../helpers/signer";
import { cli, PASSPHRASE, removeTempHomes, tempHome, type CliRun } from "./cli-harness";

useTestDatabase();

const recipient = "0x000000000000000000000000000000000000c0DE";
const extraRoutes: Record<string, (req: Request) => Promise<Response>> = {
  "GET /api/v1/networks": (req) => listNetworks(req, { params: Promise.resolve({}) }),
  "GET /api/v1/signer/balance": (req) => signerBalance(req, { params: Promise.resolve({}) }),
};
/** appFetch plus the two read endpoints the CLI uses beyond the SDK's. */
const cliFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const extra = extraRoutes[`${req.method} ${new URL(req.url).pathname}`];
  return extra ? extra(req) : appFetch(req);
};

let devnet: Devnet;
let signer: { id: string; address: `0x${string}` };
let run: (...argv: string[]) => Promise<CliRun>;
let home: string;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: devnet.rpcUrl }));
  const owner = await makeUser();
  const created = await createDealtSigner(owner, 31337, "CLI bot");
  signer = created.signer;
  const funder = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey as Hex);
  const network = await getNetwork(db(), 31337);
  const hash = await walletClientFor(network, funder).sendTransaction({ to: signer.address, value: parseEther("2") });
  await publicClientFor(network).waitForTransactionReceipt({ hash });

  home = await tempHome();
  const file = await encryptShareFile(
    { share: created.agentShare, identity: created.agentIdentity, apiKey: created.apiKey, signerId: signer.id, address: signer.address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" },
    PASSPHRASE,
    { scryptN: 2 ** 14 },
  );
  const downloaded = join(home, "countersign-share.json");
  await writeFile(downloaded, JSON.stringify(file, null, 2));
  run = cli(home, { fetch: cliFetch });
  const imported = await run("import", downloaded);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
}, 600_000);

afterAll(async () => {
  await devnet?.stop();
  await removeTempHomes();
});

describe("countersign on the devnet", () => {
  it("shows the signer's status and balance", async () => {
    const status = await run("status", "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({ id: signer.id, name: "CLI bot", status: "active", chainId: 31337, address: signer.address });
    const balance = await run("balance", "--json");
    expect(balance.code).toBe(0);
    expect(JSON.parse(balance.stdout)).toMatchObject({ address: signer.address, chainId: 31337, balance: parseEther("2").toString(), formatted: "2" });
  });

  it("sends 0.1 ETH with Signer+Server signing and waits for the receipt", async () => {
    const client = publicClientFor(await getNetwork(db(), 31337));
    const before = await client.getBalance({ address: recipient });
    const sent = await run("send", "--to", recipient, "--value", "0.1", "--wait", "--json");
    expect(sent.stderr).toBe("");
    expect(sent.code).toBe(0);
    const out = JSON.parse(sent.stdout) as { txHash: Hex; from: string; chainId: number; receipt: { status: string } };
    expect(out).toMatchObject({ from: signer.address, chainId: 31337, receipt: { status: "success" } });
    const receipt = await client.getTransactionReceipt({ hash: out.txHash });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(signer.address.toLowerCase());
    expect((await client.getBalance({ address: recipient })) - before).toBe(parseEther("0.1"));
  });

  it("prints just the transaction hash in text mode", async () => {
    const client = publicClientFor(await getNetwork(db(), 31337));
    const sent = await run("send", "--to", recipient, "--value", "0.05", "--data", "0x");
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^0x[0-9a-f]{64}\n$/);
    const receipt = await client.waitForTransactionReceipt({ hash: sent.stdout.trim() as Hex });
    expect(receipt.status).toBe("success");
  });

  it("signs a message and typed data that recover to the signer's address", async () => {
    const m = await run("sign-message", "gm from the CLI");
    expect(m.code).toBe(0);
    const sig = JSON.parse(m.stdout) as { v: number; r: Hex; s: Hex; signature: Hex };
    expect(Object.keys(sig).sort()).toEqual(["r", "s", "signature", "v"]);
    expect(await recoverMessageAddress({ message: "gm from the CLI", signature: sig.signature })).toBe(signer.address);

    const raw = await run("sign-message", "--hex", "0xDEADBEEF");
    expect(raw.code).toBe(0);
    const rawSig = JSON.parse(raw.stdout) as { signature: Hex };
    expect(await recoverMessageAddress({ message: { raw: "0xdeadbeef" }, signature: rawSig.signature })).toBe(signer.address);

    const typedData = {
      domain: { name: "Countersign", version: "1", chainId: 31337 },
      types: { Order: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }] },
      primaryType: "Order",
      message: { to: recipient, amount: "42" },
    };
    const path = join(home, "order.json");
    await writeFile(path, JSON.stringify(typedData));
    const t = await run("sign-message", "--typed-data", path);
    expect(t.stderr).toBe("");
    expect(t.code).toBe(0);
    const typedSig = JSON.parse(t.stdout) as { signature: Hex };
    expect(await recoverTypedDataAddress({ ...typedData, primaryType: "Order", message: { to: recipient, amount: 42n }, signature: typedSig.signature })).toBe(signer.address);
  });

  it("exits 3 when the server refuses to co-sign (paused signer)", async () => {
    await db().signer.update({ where: { id: signer.id }, data: { status: "paused" } });
    try {
      const r = await run("send", "--to", recipient, "--value", "0.1");
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("Signer is paused");
    } finally {
      await db().signer.update({ where: { id: signer.id }, data: { status: "active" } });
    }
  });

  it("exits 2 on a usage error", async () => {
    const r = await run("send", "--to", recipient, "--value", "lots");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--value");
  });
});

describe("bin/countersign.mjs", () => {
  it("runs from another working directory and prints usage for --help", async () => {
    const bin = fileURLToPath(new URL("../../bin/countersign.mjs", import.meta.url));
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "--help"], { cwd: "/tmp", stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout: out }));
    });
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: countersign <command>");
    expect(stdout).toContain("sign-message");
  });
});
