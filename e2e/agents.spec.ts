import { expect, test } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

const nonce = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

test("agents: create in the dashboard, attach a signer, pause (signing refused), resume (signing starts)", async ({ page, context, baseURL, request }) => {
  test.setTimeout(600_000);
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("agents"));

  await page.goto("/agents");
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
  await page.getByTestId("new-agent").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("create-agent-submit").click();
  await expect(dialog.getByText("Give the agent a name")).toBeVisible();
  const agentName = `Research agent ${Date.now().toString(36)}`;
  await dialog.getByTestId("agent-name").fill(agentName);
  await dialog.getByLabel("AEGIS agent_id").fill("research-e2e");
  await dialog.getByTestId("create-agent-submit").click();
  await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: agentName })).toBeVisible();
  await expect(page.getByTestId("agent-status")).toHaveText("Active");
  await expect(page.getByText("research-e2e")).toBeVisible();
  await expect(page.getByTestId("agent-tool-calls")).toContainText("No tool calls checked yet.");
  await expect(page.getByTestId("agent-tool-calls")).toContainText("Every tool (no allow-list).");
  await expect(page.getByTestId("agent-trust-score")).toContainText("No Signet ID");
  const agentUrl = page.url();

  // A signer made through the API (real DKG) starts in its own agent; attach it to this one.
  const client = await SessionClient.fromContext(context, baseURL!);
  const signer = await createSignerViaDkg(client, `Agent wallet ${Date.now().toString(36)}`);
  await page.reload();
  await page.getByTestId("attach-signer-select").selectOption(signer.id);
  await page.getByTestId("attach-signer").click();
  await expect(page.getByTestId(`agent-signer-${signer.id}`)).toBeVisible();
  await expect(page.getByText(signer.apiKey.slice(0, 8)).first()).toBeVisible();

  const attempt = () =>
    request.post("/api/v1/sign-message/session", { headers: { "x-api-key": signer.apiKey }, data: { message: "hello from the agent", clientNonce: nonce() } });

  // Pause: the confirm dialog, then the badge, then the signing attempt is refused.
  await page.getByTestId("pause-agent").click();
  await page.getByRole("dialog").getByRole("button", { name: "Pause agent" }).click();
  await expect(page.getByTestId("agent-status")).toHaveText("Paused");
  const refused = await attempt();
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ statusCode: 403, message: "Agent is paused" });

  await page.goto("/agents");
  const row = page.locator("tr", { hasText: agentName });
  await expect(row.getByTestId("agent-status")).toHaveText("Paused");
  // Phones: the list still fits.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Resume: signing gets past the pause check again (the session opens).
  await page.goto(agentUrl);
  await page.getByTestId("resume-agent").click();
  await page.getByRole("dialog").getByRole("button", { name: "Resume agent" }).click();
  await expect(page.getByTestId("agent-status")).toHaveText("Active");
  const allowed = await attempt();
  expect(allowed.status()).toBe(201);
  expect((await allowed.json()).sessionId).toMatch(/^[0-9a-f-]{36}$/);

  // The signer's page links to its (new) agent.
  await page.goto(`/signers/${signer.id}`);
  await page.getByTestId("signer-agent-link").click();
  await expect(page).toHaveURL(agentUrl);
});
