import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as networks } from "@/app/api/v1/networks/route";
import { GET as listContracts, POST as addContract } from "@/app/api/v1/contracts/route";
import { DELETE as removeContract } from "@/app/api/v1/contracts/[id]/route";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

describe("networks", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cs-net-"));
    const file = path.join(dir, "networks.json");
    writeFileSync(file, JSON.stringify([
      { chainId: 1, name: "Ethereum", rpcUrl: "https://rpc.example", explorerUrl: "https://etherscan.io", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: false },
      { chainId: 10, name: "Off", rpcUrl: "https://rpc.example", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: false, isDevnet: false },
    ]));
    await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: "http://127.0.0.1:9999", COUNTERSIGN_NETWORKS_FILE: file }));
  });

  it("lists the enabled networks, the devnet at the RPC URL npm start launched", async () => {
    const { cookie, organizationId } = await makeUser();
    const r = await call(networks, "GET", "/api/v1/networks", { cookie });
    expect(r.status).toBe(200);
    expect(r.json.networks.map((n: { chainId: number }) => n.chainId)).toEqual([1, 31337]);
    expect(r.json.networks[1]).toMatchObject({ name: "Local devnet", rpcUrl: "http://127.0.0.1:9999", isDevnet: true, nativeCurrency: { symbol: "ETH" } });
    const { secret } = await makeApiKey(organizationId, ["signers:read"]);
    expect((await call(networks, "GET", "/api/v1/networks", { apiKey: secret })).status).toBe(200);
    expect((await call(networks, "GET", "/api/v1/networks")).status).toBe(401);
  });

  it("rejects a malformed networks file with the field at fault", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cs-net-"));
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify([{ chainId: -1, name: "x" }]));
    expect(() => configuredNetworks({ COUNTERSIGN_NETWORKS_FILE: file })).toThrow(/0\.chainId/);
  });
});

describe("known contracts", () => {
  it("adds (checksummed), filters by chain, refuses duplicates and unknown networks, removes", async () => {
    const { cookie } = await makeUser();
    const add = await call(addContract, "POST", "/api/v1/contracts", { cookie, body: { chainId: 1, address: USDC, name: "USDC" } });
    expect(add.status).toBe(201);
    expect(add.json.contract.address).toBe("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    await call(addContract, "POST", "/api/v1/contracts", { cookie, body: { chainId: 31337, address: USDC, name: "Local USDC" } });
    expect((await call(addContract, "POST", "/api/v1/contracts", { cookie, body: { chainId: 1, address: USDC.toUpperCase().replace("0X", "0x"), name: "again" } })).status).toBe(409);
    const offNet = await call(addContract, "POST", "/api/v1/contracts", { cookie, body: { chainId: 10, address: USDC, name: "x" } });
    expect(offNet.status).toBe(400);
    expect(offNet.json.violations[0].field).toBe("body.chainId");
    const badAddr = await call(addContract, "POST", "/api/v1/contracts", { cookie, body: { chainId: 1, address: "0x1234", name: "x" } });
    expect(badAddr.json.violations[0].field).toBe("body.address");
    const onMainnet = await call(listContracts, "GET", "/api/v1/contracts", { cookie, query: { chainId: "1" } });
    expect(onMainnet.json.contracts.map((c: { name: string }) => c.name)).toEqual(["USDC"]);
    expect((await call(listContracts, "GET", "/api/v1/contracts", { cookie })).json.contracts).toHaveLength(2);
    const del = await call(removeContract, "DELETE", "/x", { cookie, params: { id: add.json.contract.id } });
    expect(del.status).toBe(204);
    expect((await call(listContracts, "GET", "/api/v1/contracts", { cookie })).json.contracts).toHaveLength(1);
  });

  it("is scoped to the organization", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const added = await call(addContract, "POST", "/api/v1/contracts", { cookie: b.cookie, body: { chainId: 1, address: USDC, name: "B's USDC" } });
    expect((await call(listContracts, "GET", "/api/v1/contracts", { cookie: a.cookie })).json.contracts).toEqual([]);
    expect((await call(removeContract, "DELETE", "/x", { cookie: a.cookie, params: { id: added.json.contract.id } })).status).toBe(404);
    const viewer = await makeUser({ organizationId: b.organizationId, role: "viewer" });
    expect((await call(addContract, "POST", "/api/v1/contracts", { cookie: viewer.cookie, body: { chainId: 1, address: USDC, name: "x" } })).status).toBe(403);
  });
});
