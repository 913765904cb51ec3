import { mkdirSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { GatewayClient } from "../lib/sdk/gateway";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg, deployTestToken, fundFromDevAccount } from "./helpers/signer-setup";
import { overflowingElements } from "./helpers/layout";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * The visual review (issue #21): signs up, seeds realistic data (a funded signer with a daily limit
 * and decisions, gateway tool calls, a seed 004 request waiting for a human) and visits every
 * dashboard page at phone (390×844) and desktop (1440×900) size in light and dark. Each view is a
 * screenshot attached to the report; the test fails on horizontal overflow, any element wider than
 * the viewport, a serious or critical axe violation (axe runs in all four views of every page), and
 * any console error.
 *
 * VISUAL_REVIEW_DOCS=1 also writes the README's two screenshots to docs/screenshots/.
 */

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;
const THEMES = ["light", "dark"] as const;
const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

type Problem = { page: string; view: string; kind: string; detail: unknown };

async function settle(page: Page) {
  await expect(page.getByRole("status", { name: /^Loading/ })).toHaveCount(0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}


async function axeProblems(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

async function review(page: Page, testInfo: TestInfo, path: string, label: string, problems: Problem[], consoleErrors: string[], docs?: Partial<Record<string, string>>) {
  await page.setViewportSize({ width: VIEWPORTS[1].width, height: VIEWPORTS[1].height });
  await page.emulateMedia({ colorScheme: "light" });
  consoleErrors.length = 0;
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    for (const vp of VIEWPORTS) {
      const view = `${vp.name}-${theme}`;
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await settle(page);
      const o = await overflowingElements(page);
      if (o.scrollWidth > o.viewport) problems.push({ page: path, view, kind: "horizontal overflow", detail: `scrollWidth ${o.scrollWidth} > ${o.viewport}` });
      if (o.elements.length) problems.push({ page: path, view, kind: "element wider than the viewport", detail: o.elements });
      // Every view: contrast depends on the theme, structure (the drawer, hidden columns) on the size.
      const axe = await axeProblems(page);
      if (axe.length) problems.push({ page: path, view, kind: "axe", detail: axe });
      const shot = await page.screenshot({ fullPage: true });
      await testInfo.attach(`${label}-${view}.png`, { body: shot, contentType: "image/png" });
      const docName = docs?.[view];
      if (docName && process.env.VISUAL_REVIEW_DOCS === "1") {
        mkdirSync("docs/screenshots", { recursive: true });
        writeFileSync(`docs/screenshots/${docName}`, await page.screenshot({ fullPage: false }));
      }
    }
  }
  if (consoleErrors.length) problems.push({ page: path, view: "any", kind: "console error", detail: [...consoleErrors] });
}

test("visual review: every dashboard page at phone and desktop size, light and dark", async ({ page, context, baseURL, request }, testInfo) => {
  test.setTimeout(1_200_000);
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(`pageerror: ${err.message}`));

  await addVirtualAuthenticator(page);
  const user = uniqueUser("review");
  await signUp(page, user);
  const client = await SessionClient.fromContext(context, baseURL!);

  // Realistic data: a funded signer with a daily limit, one allowed and one denied request.
  const signer = await createSignerViaDkg(client, "Treasury bot");
  await fundFromDevAccount(client, signer.chainId, signer.address, "3");
  const token = await deployTestToken(client, signer.chainId, signer.address, "5000");
  await client.request("track token", "POST", `/api/v1/signers/${signer.id}/tokens`, { address: token });
  await client.request("daily limit", "POST", `/api/v1/signers/${signer.id}/policies`, { type: "daily_limit", config: { maxAmount: parseEther("1").toString() } });
  for (const [ether, status] of [["0.4", 201], ["2.5", 403]] as const) {
    const res = await request.post("/api/v1/sign/session", {
      headers: { "x-api-key": signer.apiKey },
      data: { transaction: { to: RECIPIENT, value: parseEther(ether).toString() }, clientNonce: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex") },
    });
    expect(res.status()).toBe(status);
  }

  // Gateway: allowed, blocked and pending tool calls of a support agent.
  const { secret } = await client.request<{ secret: string }>("api key", "POST", "/api/v1/api-keys", { name: "Support backend", scopes: ["gateway:check", "policies:manage", "policies:read"] });
  const created = await fetch(new URL("/api/v1/policies", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json", "x-aegis-api-key": secret },
    body: JSON.stringify({ id: "refund-cap", name: "Refunds up to 100", risk_level: "HIGH", on_match: "pending", policy_schema: { if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { maximum: 100 } } } } } } }),
  });
  expect(created.status).toBe(201);
  const gw = new GatewayClient({ baseUrl: baseURL!, apiKey: secret, agentId: "support-bot" });
  expect((await gw.check("refund", { amount: 40, order: "A-1000" })).decision).toBe("allow");
  expect((await gw.check("refund", { amount: 250, order: "A-1001" })).decision).toBe("pending");

  // Seed 004: a paired agent's Safe transfer waiting for a human.
  const agent = privateKeyToAccount(generatePrivateKey());
  const paired = await client.request<{ agent: { safeAddress: `0x${string}` }; token: string }>("pair agent", "POST", "/api/v1/approvals/agents", { mode: "safe", agentAddress: agent.address, chainId: 31337 });
  await fundFromDevAccount(client, 31337, paired.agent.safeAddress, "1");
  const agentCall = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, baseURL), { method: "POST", headers: { authorization: `Bearer ${paired.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const draft = await agentCall("/api/drafts", { signer: agent.address, intent: { actions: [{ chainId: 31337, to: RECIPIENT, data: "0x", value: parseEther("0.25").toString() }] } });
  expect(draft.status).toBe(200);
  const submitted = await agentCall("/api/requests", { draftId: draft.json.draftId, signer: agent.address, signature: await agent.sign({ hash: draft.json.safeTransaction.safeTxHash as Hex }) });
  expect(submitted.status).toBe(202);
  const notification = (await client.request<{ id: string; requestId: string | null }[]>("notifications", "GET", "/api/notifications")).find((n) => n.requestId === submitted.json.requestId);
  expect(notification).toBeDefined();
  const agents = await client.request<{ items: { id: string }[] }>("agents", "GET", "/api/v1/agents");
  expect(agents.items.length).toBeGreaterThan(0);

  const pages: { path: string; label: string; docs?: Partial<Record<string, string>> }[] = [
    { path: "/", label: "overview", docs: { "desktop-light": "overview-desktop.png" } },
    { path: "/approvals", label: "approvals" },
    { path: `/approvals/${encodeURIComponent(notification!.id)}`, label: "approval", docs: { "phone-light": "approval-phone.png" } },
    { path: "/signers", label: "signers" },
    { path: `/signers/${signer.id}`, label: "signer" },
    { path: `/signers/${signer.id}/policies`, label: "signer-policies" },
    { path: "/policies", label: "policies" },
    { path: "/agents", label: "agents" },
    { path: `/agents/${agents.items[0]!.id}`, label: "agent" },
    { path: "/gateway", label: "gateway" },
    { path: "/audit", label: "audit" },
    { path: "/settings", label: "settings" },
    { path: "/settings/organization", label: "settings-organization" },
    { path: "/settings/members", label: "settings-members" },
    { path: "/settings/api-keys", label: "settings-api-keys" },
    { path: "/settings/devices", label: "settings-devices" },
    { path: "/settings/clear-signing", label: "settings-clear-signing" },
    // Last: the wizard starts searching for safe primes in background workers as it opens.
    { path: "/signers/new", label: "signer-new" },
  ];

  const problems: Problem[] = [];
  for (const p of pages) await review(page, testInfo, p.path, p.label, problems, consoleErrors, p.docs);

  // The phone drawer opens on a long page and navigates.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/signers/${signer.id}`);
  await page.getByRole("button", { name: "Open navigation" }).click();
  const drawer = page.getByRole("dialog", { name: "Navigation" });
  await drawer.getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(drawer).toBeHidden();

  // The desktop sidebar reaches the bottom of a long page.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/audit");
  await settle(page);
  const heights = await page.evaluate(() => ({ column: document.querySelector("[data-testid=sidebar-column]")!.getBoundingClientRect().height, page: document.documentElement.scrollHeight }));
  expect(heights.column).toBeGreaterThanOrEqual(heights.page - 1);

  await testInfo.attach("problems.json", { body: JSON.stringify(problems, null, 2), contentType: "application/json" });
  expect(problems).toEqual([]);
});
