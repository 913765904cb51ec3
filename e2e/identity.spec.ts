import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { createPublicClient, createWalletClient, getAddress, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveDevAccounts } from "../lib/chain/dev-accounts";
import { agentRegistryAbi } from "../lib/identity/abi";
import { signUp, uniqueUser } from "./helpers/auth";
import { createAgent, scanOnPhone } from "./helpers/identity";
import { addVirtualAuthenticator, type VirtualAuthenticator } from "./helpers/webauthn";

/**
 * Seed 003 "Verify as human" end to end: the agent page starts a registration session, the mock
 * passport page (a mock of Self's passport app) plays the person's app and asks the signed-in
 * member's passkey, the registry on the devnet mints through the provider's authorised account; the
 * agent then calls a protected route with x-self-agent-* headers the CLI signs; a second agent of the
 * same person is refused by maxAgentsPerHuman, and once the registry's owner raises the limit both
 * are sameHuman on chain; Deregister burns the second one's token.
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** `countersign identity sign <url> -X POST -d <body> --json` in its own process: the signed headers. */
async function cliSign(url: string, body: string, key: string): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [path.join(repoRoot, "bin", "countersign.mjs"), "identity", "sign", url, "-X", "POST", "-d", body, "--json"], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: "", COUNTERSIGN_IDENTITY_KEY: key, NO_COLOR: "1" },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

/** On the agent page: "Verify as human", then the mock passport page in a new tab, scanned with `documentNumber`. */
async function verifyAsHuman(page: Page, passkey: VirtualAuthenticator, documentNumber: string): Promise<string> {
  const session = page.getByTestId("identity-session");
  // A retry after a failed session: wait for the new session's link, not the old one still shown.
  const previous = (await session.count()) ? await session.getByTestId("identity-deep-link").getAttribute("href") : null;
  await page.getByTestId("verify-as-human").click();
  await expect(session.getByTestId("identity-qr").locator("svg")).toBeVisible();
  await expect(session.getByTestId("identity-stage")).toContainText("qr-ready");
  await expect(async () => expect(await session.getByTestId("identity-deep-link").getAttribute("href")).not.toBe(previous)).toPass();
  const link = await session.getByTestId("identity-deep-link").getAttribute("href");
  expect(link).toMatch(/\/identity\/mock-passport\?token=enc_/);
  return scanOnPhone(page, passkey, link!, documentNumber);
}

test("identity: Verify as human through the mock passport, minted on the devnet; the Sybil limit refuses a second agent until raised; sameHuman", async ({ page }) => {
  test.setTimeout(300_000);
  const passkey = await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("identity"));
  const passport = `E2E${Date.now().toString(36).toUpperCase()}`;

  // Agent A: no identity yet, then verified.
  const urlA = await createAgent(page, `Alpha ${Date.now().toString(36)}`);
  const idA = urlA.split("/").pop()!;
  const card = page.getByTestId("identity-card");
  await expect(card).toContainText("Not verified as human yet.");
  expect(await verifyAsHuman(page, passkey, passport)).toContain("completed");
  await expect(card.getByTestId("identity-completed")).toContainText("minted");
  const facts = card.getByTestId("identity-facts");
  await expect(facts).toContainText("Standard");
  await expect(facts).toContainText("18+ · GBR · OFAC clear");
  await expect(facts).toContainText("1 of at most 1");

  // The generated agent key, once: it is the key of the address the registry holds.
  const faceA = await (await page.request.get(`/api/v1/agents/${idA}/identity`)).json();
  expect(faceA).toMatchObject({ status: "registered", identity: { isVerified: true, strengthLabel: "Standard", addressMatches: true } });
  await card.getByTestId("identity-export-key").click();
  const key = (await page.getByTestId("identity-key-dialog").textContent())!.trim();
  expect(privateKeyToAccount(key as `0x${string}`).address).toBe(faceA.identity.agentAddress);
  await page.getByRole("button", { name: "I have stored the key" }).click();

  // The agent calls a protected route with headers the CLI signs with that key: its on-chain info comes back.
  const verifyUrl = new URL("/api/demo/verify", page.url()).toString();
  const body = JSON.stringify({ hello: "from agent A" });
  const headers = await cliSign(verifyUrl, body, key);
  expect(headers["x-self-agent-address"]?.toLowerCase()).toBe(faceA.identity.agentAddress.toLowerCase());
  const post = (b: string) => fetch(verifyUrl, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: b });
  // The same headers over a different body: the signature does not cover it.
  const tampered = await post(JSON.stringify({ hello: "from someone else" }));
  expect(tampered.status).toBe(401);
  expect(await tampered.json()).toEqual({ error: expect.any(String) });
  const signed = await post(body);
  expect(signed.status).toBe(200);
  expect(await signed.json()).toMatchObject({ valid: true, agentId: faceA.identity.agentId, agentAddress: faceA.identity.agentAddress, isVerified: true, strengthLabel: "Standard", credentials: { nationality: "GBR", olderThan: 18 } });
  // Once: the same signed request again is a replay.
  expect((await post(body)).status).toBe(409);

  // The chain itself.
  const { networks } = await (await page.request.get("/api/v1/networks")).json();
  const devnet = networks.find((n: { chainId: number; isDevnet: boolean }) => n.isDevnet && n.chainId === faceA.identity.chainId);
  const client = createPublicClient({ transport: http(devnet.rpcUrl) });
  const registry = getAddress(faceA.identity.registry) as Address;
  const read = <T>(functionName: string, args: unknown[] = []) => client.readContract({ address: registry, abi: agentRegistryAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  const agentA = BigInt(faceA.identity.agentId);
  const recordA = await read<{ nullifier: bigint; proofProvider: Address }>("getAgent", [agentA]);
  expect(await read<boolean>("isProofProvider", [recordA.proofProvider])).toBe(true);
  expect(await read<bigint>("maxAgentsPerHuman")).toBe(1n);
  expect(await read<bigint>("humanAgentCount", [recordA.nullifier])).toBe(1n);

  // Agent B, the same passport: the registry refuses a second agent for this human.
  const urlB = await createAgent(page, `Beta ${Date.now().toString(36)}`);
  const idB = urlB.split("/").pop()!;
  const refused = await verifyAsHuman(page, passkey, passport);
  expect(refused).toContain("failed");
  expect(refused).toContain("Too many agents for this human (maxAgentsPerHuman 1)");
  await expect(card.getByTestId("identity-stage")).toContainText("failed — Too many agents for this human (maxAgentsPerHuman 1)");
  expect(await read<bigint[]>("agentsOfNullifier", [recordA.nullifier])).toEqual([agentA]);
  expect((await (await page.request.get(`/api/v1/agents/${idB}/identity`)).json()).status).toBe("not_linked");

  // The registry's owner (the devnet's first account, as npm start deploys it) allows two agents per human.
  const owner = privateKeyToAccount(deriveDevAccounts(undefined, 1)[0]!.privateKey);
  const chain = { id: devnet.chainId, name: devnet.name, nativeCurrency: devnet.nativeCurrency, rpcUrls: { default: { http: [devnet.rpcUrl] } } };
  const wallet = createWalletClient({ account: owner, chain, transport: http(devnet.rpcUrl) });
  const setMax = async (n: bigint) => client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: registry, abi: agentRegistryAbi, functionName: "setMaxAgentsPerHuman", args: [n] }) });
  await setMax(2n);
  try {
    expect(await verifyAsHuman(page, passkey, passport)).toContain("completed");
    await expect(card.getByTestId("identity-facts")).toContainText("2 of at most 2");
    const faceB = await (await page.request.get(`/api/v1/agents/${idB}/identity`)).json();
    const agentB = BigInt(faceB.identity.agentId);
    expect(await read<boolean>("sameHuman", [agentA, agentB])).toBe(true);
    expect(await read<bigint[]>("agentsOfNullifier", [recordA.nullifier])).toEqual([agentA, agentB]);
    // Public query: the Sybil metrics the seed's verify route reports.
    const verify = await (await page.request.get(`/api/agent/verify/${devnet.chainId}/${agentB}`)).json();
    expect(verify).toMatchObject({ isVerified: true, strengthLabel: "Standard", humanAgentCount: 2, maxAgentsPerHuman: 2 });

    // Deregister agent B: confirm, the person proves again on the mock passport, the token is burned.
    await card.getByTestId("identity-deregister").click();
    const confirm = page.getByRole("dialog");
    await expect(confirm).toContainText(`Deregister agent #${agentB}?`);
    await confirm.getByRole("button", { name: "Deregister" }).click();
    const leaving = page.getByTestId("identity-deregister-session");
    await expect(leaving.getByTestId("identity-stage")).toContainText("qr-ready");
    const link = await leaving.getByTestId("identity-deep-link").getAttribute("href");
    expect(link).toMatch(/\/identity\/mock-passport\?token=enc_/);
    expect(await scanOnPhone(page, passkey, link!, passport, false)).toContain("completed");
    await expect(card.getByTestId("identity-deregistered")).toContainText(`Agent #${agentB} burned`);
    await expect(card).toContainText("Not verified as human yet.");
    expect((await page.request.get(`/api/agent/info/${devnet.chainId}/${agentB}`)).status()).toBe(404);
    expect(await read<bigint[]>("agentsOfNullifier", [recordA.nullifier])).toEqual([agentA]);
    expect((await (await page.request.get(`/api/v1/agents/${idB}/identity`)).json()).status).toBe("not_linked");
  } finally {
    await setMax(1n);
  }
});
