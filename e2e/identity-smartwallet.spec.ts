import { expect, test } from "@playwright/test";
import { createPublicClient, getAddress, http, type Address } from "viem";
import { agentRegistryAbi } from "../lib/identity/abi";
import { signUp, uniqueUser } from "./helpers/auth";
import { createAgent, scanOnPhone } from "./helpers/identity";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * Seed 003's smartwallet mode in the browser: "Verify with a passkey wallet" creates a passkey (the CDP
 * virtual authenticator) that owns a counterfactual ERC-4337 account, the mock passport proves the
 * human, and the passkey signs the registration as the account's first UserOperation, sponsored by the
 * app's paymaster and sent through the real Alto bundler `npm start` runs. The identity token is then
 * held by the account on the devnet.
 */
test("identity: Verify with a passkey wallet — the passkey's smart account registers the agent through the bundler", async ({ page }) => {
  test.setTimeout(300_000);
  const passkey = await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("smartwallet"));
  const url = await createAgent(page, `Passkey ${Date.now().toString(36)}`);
  const agentId = url.split("/").pop()!;
  const card = page.getByTestId("identity-card");
  await expect(card).toContainText("Not verified as human yet.");
  const before = (await passkey.credentials()).length;

  await card.getByTestId("verify-smartwallet").click();
  const session = card.getByTestId("identity-session");
  await expect(session.getByTestId("identity-stage")).toContainText("qr-ready");
  // The browser made a second passkey for the account (the first is the member's sign-in passkey).
  expect((await passkey.credentials()).length).toBe(before + 1);
  const account = ((await card.getByTestId("smartwallet-account").textContent()) ?? "").match(/0x[0-9a-fA-F]{40}/)?.[0] as Address;
  expect(account).toBeTruthy();

  const link = await session.getByTestId("identity-deep-link").getAttribute("href");
  expect(await scanOnPhone(page, passkey, link!, `SW${Date.now().toString(36).toUpperCase()}`)).toContain("proof-received");

  const submit = card.getByTestId("smartwallet-submit");
  await expect(submit).toContainText(account);
  await submit.getByTestId("smartwallet-sign").click();
  await expect(card.getByTestId("identity-completed")).toContainText("minted", { timeout: 120_000 });
  await expect(card.getByTestId("identity-completed")).toContainText("passkey's smart account");
  await expect(card.getByTestId("identity-facts")).toContainText("18+ · GBR · OFAC clear");

  // On chain: the account exists now, holds the token, and is the agent's human address.
  const face = await (await page.request.get(`/api/v1/agents/${agentId}/identity`)).json();
  expect(face.status).toBe("registered");
  const networks = (await (await page.request.get("/api/v1/networks")).json()).networks as Array<{ chainId: number; rpcUrl: string }>;
  const devnet = networks.find((n) => n.chainId === face.identity.chainId)!;
  const client = createPublicClient({ transport: http(devnet.rpcUrl) });
  const code = await client.getCode({ address: account });
  expect(code && code.length > 2).toBe(true);
  const registry = getAddress(face.identity.registry);
  expect(await client.readContract({ address: registry, abi: agentRegistryAbi, functionName: "ownerOf", args: [BigInt(face.identity.agentId)] })).toBe(getAddress(account));
  const rec = await client.readContract({ address: registry, abi: agentRegistryAbi, functionName: "getAgent", args: [BigInt(face.identity.agentId)] });
  expect(getAddress(rec.humanAddress)).toBe(getAddress(account));
  expect(await client.getBalance({ address: account })).toBe(0n);
});
