import { expect, test, type APIRequestContext } from "@playwright/test";
import { parseEther } from "viem";
import { GatewayClient } from "../lib/sdk/gateway";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg, deployTestToken, fundFromDevAccount } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** A Signer+Server session with the signer's API key: the server records its guardrail decision. */
async function startSession(request: APIRequestContext, apiKey: string, ether: string) {
  const response = await request.post("/api/v1/sign/session", {
    headers: { "x-api-key": apiKey },
    data: { transaction: { to: RECIPIENT, value: parseEther(ether).toString() }, clientNonce: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex") },
  });
  return response.status();
}

test("the overview: set-up steps, pending decisions with inline approve, holdings, spend against limits, decisions, denials and health", async ({ page, context, baseURL, request }) => {
  test.setTimeout(420_000);
  await addVirtualAuthenticator(page);
  const user = uniqueUser("overview");
  await signUp(page, user);

  // A new organization: the four steps, none done, and every card teaches its next step.
  const setup = page.getByTestId("overview-setup");
  await expect(setup).toContainText("0 of 4 done");
  for (const id of ["approvers", "api-key", "signer", "agent"]) await expect(setup.getByTestId(`setup-${id}`)).toHaveAttribute("data-done", "false");
  await expect(page.getByTestId("pending-empty")).toBeVisible();
  await expect(page.getByTestId("holdings-empty").getByRole("link", { name: "Create a signer" })).toHaveAttribute("href", "/signers/new");
  await expect(page.getByTestId("spend-empty")).toBeVisible();
  await expect(page.getByTestId("overview-activity")).toContainText("No decisions in the last 7 days.");
  await expect(page.getByTestId("devices-status")).toContainText("None of your devices is registered");
  await expect(page.getByTestId("network-31337")).toContainText("Reachable");
  await expect(page.getByTestId("prime-pool")).toContainText("0 of 0 safe primes");

  // Seed: an API key with gateway policies (one blocks, one waits for a human), a signer with a daily limit.
  const client = await SessionClient.fromContext(context, baseURL!);
  const { secret } = await client.request<{ secret: string }>("api key", "POST", "/api/v1/api-keys", { name: "overview e2e", scopes: ["gateway:check", "policies:manage", "policies:read"] });
  const policy = (body: object) =>
    fetch(new URL("/api/v1/policies", baseURL), { method: "POST", headers: { "content-type": "application/json", "x-aegis-api-key": secret }, body: JSON.stringify(body) });
  expect((await policy({ id: "refund-cap", name: "Refunds up to 100", risk_level: "HIGH", on_match: "pending", policy_schema: { if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { maximum: 100 } } } } } } })).status).toBe(201);
  expect((await policy({ id: "wire-cap", name: "Wires up to 10", risk_level: "CRITICAL", on_match: "block", policy_schema: { if: { properties: { tool_name: { const: "wire" } } }, then: { properties: { arguments: { properties: { amount: { maximum: 10 } } } } } } })).status).toBe(201);
  const gw = new GatewayClient({ baseUrl: baseURL!, apiKey: secret, agentId: "support-bot" });
  const blocked = await gw.check("wire", { amount: 500 });
  expect(blocked.decision).toBe("block");
  const pending = await gw.check("refund", { amount: 250, order: "A-1001" });
  expect(pending.decision).toBe("pending");

  const signerName = `Payroll ${Date.now().toString(36)}`;
  const signer = await createSignerViaDkg(client, signerName);
  await fundFromDevAccount(client, signer.chainId, signer.address, "2");
  // A test ERC-20 on the devnet minting 1250.5 TUSD to the signer, tracked on the signer.
  const token = await deployTestToken(client, signer.chainId, signer.address, "1250.5");
  await client.request("track token", "POST", `/api/v1/signers/${signer.id}/tokens`, { address: token });
  await client.request("daily limit", "POST", `/api/v1/signers/${signer.id}/policies`, { type: "daily_limit", config: { maxAmount: parseEther("1").toString() } });
  expect(await startSession(request, signer.apiKey, "0.25")).toBe(201);
  expect(await startSession(request, signer.apiKey, "5")).toBe(403);

  await page.goto("/");
  // Set-up: three of four steps ticked (nobody invited yet).
  await expect(setup).toContainText("3 of 4 done");
  await expect(setup.getByTestId("setup-approvers")).toHaveAttribute("data-done", "false");
  for (const id of ["api-key", "signer", "agent"]) await expect(setup.getByTestId(`setup-${id}`)).toHaveAttribute("data-done", "true");

  // Needs you: the pending tool call, decided inline.
  const needs = page.getByTestId("overview-needs-you");
  const toolCall = needs.getByTestId("pending-tool_call");
  await expect(toolCall).toContainText("support-bot wants to call refund");
  await expect(needs.getByRole("link", { name: "Open approvals" })).toHaveAttribute("href", "/approvals");
  await toolCall.getByRole("button", { name: /^Approve/ }).click();
  await expect(needs.getByTestId("pending-tool_call")).toHaveCount(0);
  await expect(page.getByTestId("pending-empty")).toBeVisible();
  expect((await gw.decision(pending.check_id)).decision).toBe("allow");

  // What they hold: the signer under its network with its live balance.
  const holdings = page.getByTestId("overview-holdings").getByTestId("holdings-31337");
  await expect(holdings).toContainText(signerName);
  await expect(holdings.getByTestId("signer-balance")).toHaveText("2 ETH");
  // Its token balance (read from the devnet by balanceOf), and the total value: the e2e server has a
  // price source for the devnet's ETH only (playwright.config.ts), so TUSD is named as not counted.
  await expect(holdings.getByTestId("token-balance")).toHaveText("1250.5 TUSD");
  const total = page.getByTestId("overview-holdings").getByTestId("holdings-total");
  await expect(total.getByTestId("holdings-total-value")).toHaveText("$4,000.00");
  await expect(total).toContainText("Without a price, not counted: TUSD.");
  await expect(page.getByTestId("overview-holdings").getByRole("link", { name: "All signers" })).toHaveAttribute("href", "/signers");

  // What they did: spend against the daily limit, the week's decisions, the last denials with reasons.
  const activity = page.getByTestId("overview-activity");
  await expect(activity.getByTestId("spend-row")).toContainText(`${signerName} · Daily`);
  await expect(activity.getByTestId("spend-row")).toContainText("0.25 of 1 ETH");
  await expect(activity.locator("figure[data-chart='Spend against limits, percent used']")).toBeVisible();
  // Allowed: the 0.25 ETH session and the tool call just approved; denied: the 5 ETH session and the wire.
  await expect(activity).toContainText("2 allowed, 2 denied, 0 pending in the last 7 days");
  const decisionsChart = activity.locator("figure[data-chart='Decisions per day, last 7 days']");
  await expect(decisionsChart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  // The chart's accessible table: today (the last row) has 2 allowed, 2 denied, 0 pending.
  await expect(decisionsChart.locator("tbody tr")).toHaveCount(7);
  await expect(decisionsChart.locator("tbody tr").last().locator("td")).toHaveText(["2", "2", "0"]);
  const denials = activity.getByTestId("denial");
  await expect(denials).toHaveCount(2);
  await expect(denials.nth(0)).toContainText(`${signerName}: transaction`);
  await expect(denials.nth(0)).toContainText(/daily/i);
  await expect(denials.nth(1)).toContainText("support-bot: wire");
  await expect(activity.getByRole("link", { name: "Open audit log" })).toHaveAttribute("href", "/audit");

  // Health.
  const health = page.getByTestId("overview-health");
  await expect(health.getByTestId("network-31337")).toContainText("Reachable");
  await expect(health.getByTestId("push-health")).toHaveText("No failed deliveries in the last 7 days.");
  await expect(health.getByRole("link", { name: "Devices and push" })).toHaveAttribute("href", "/settings/devices");
});
