import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg, deployTestToken, fundFromDevAccount } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

const DEV_ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(" ")) }));
}

test("signers: list, detail, balance, pause/resume, key rotation, rename, simulate, tokens, delete", async ({ page, context, baseURL, request }) => {
  test.setTimeout(600_000);
  await addVirtualAuthenticator(page);
  const user = uniqueUser("signers");
  await signUp(page, user);

  await page.goto("/signers");
  await expect(page.getByRole("heading", { name: "No signers yet" })).toBeVisible();
  await expect(page.getByText("distributed key generation in your browser")).toBeVisible();

  const client = await SessionClient.fromContext(context, baseURL!);
  const signer = await createSignerViaDkg(client, `Treasury bot ${Date.now().toString(36)}`);
  expect(signer.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  await fundFromDevAccount(client, signer.chainId, signer.address, "1.5");
  const token = await deployTestToken(client, signer.chainId, signer.address, "1000");

  await page.reload();
  const row = page.getByTestId(`signer-row-${signer.id}`);
  await expect(row).toBeVisible();
  await expect(row.getByRole("link", { name: signer.name })).toBeVisible();
  await expect(row.getByTitle(signer.address)).toHaveText(`${signer.address.slice(0, 6)}…${signer.address.slice(-4)}`);
  await expect(row.getByText("Local devnet")).toBeVisible();
  await expect(row.getByTestId("signer-status")).toHaveText("Active");
  await expect(row.getByTestId("signer-balance")).toHaveText(/^1\.5 ETH$/);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Phones: the table turns into stacked cards that still show every field.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row.getByTestId("signer-balance")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });

  await row.getByRole("link", { name: signer.name }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/signers/${signer.id}`);
  await expect(page.getByRole("heading", { level: 1, name: signer.name })).toBeVisible();
  await expect(page.getByTestId("signer-address")).toHaveText(signer.address);
  await expect(page.getByTestId("signer-native-balance")).toContainText("1.5");
  await expect(page.getByTestId("signer-native-balance")).toContainText("ETH");
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  const status = page.getByTestId("signer-status");
  await page.getByRole("button", { name: "Pause signer" }).click();
  await expect(status).toHaveText("Paused");
  await page.getByRole("button", { name: "Resume signer" }).click();
  await expect(status).toHaveText("Active");
  const activity = page.getByRole("list", { name: "Signer activity" });
  await expect(activity.getByText("Signer paused")).toBeVisible();
  await expect(activity.getByText("Signer resumed")).toBeVisible();

  const oldKeyWorks = async (key: string) => (await request.get("/api/v1/signer", { headers: { "x-api-key": key } })).status();
  expect(await oldKeyWorks(signer.apiKey)).toBe(200);
  await page.getByRole("button", { name: "Rotate API key" }).click();
  await page.getByRole("dialog", { name: "Rotate API key?" }).getByRole("button", { name: "Rotate key" }).click();
  const keyDialog = page.getByRole("dialog", { name: "New signer API key" });
  await expect(keyDialog.getByText("The old key has stopped working.")).toBeVisible();
  const newKey = (await keyDialog.getByTestId("signer-key-secret").textContent())?.trim() ?? "";
  expect(newKey.length).toBeGreaterThan(20);
  expect(newKey).not.toBe(signer.apiKey);
  expect(await oldKeyWorks(signer.apiKey)).toBe(401);
  expect(await oldKeyWorks(newKey)).toBe(200);
  await keyDialog.getByRole("button", { name: "I have stored the key" }).click();
  await expect(keyDialog).toBeHidden();
  expect(await page.content()).not.toContain(newKey);

  const renamed = `${signer.name} renamed`;
  await page.getByRole("button", { name: "Rename signer" }).click();
  await page.getByLabel("Signer name").fill(renamed);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();

  const simulate = page.getByRole("form", { name: "Simulate a transaction" });
  await simulate.getByLabel("To", { exact: true }).fill(DEV_ACCOUNT);
  await simulate.getByLabel("Value (ETH)").fill("0.1");
  await simulate.getByRole("button", { name: "Simulate" }).click();
  await expect(page.getByText("Simulation succeeded")).toBeVisible();
  await expect(page.getByText("Gas estimate: 21,000")).toBeVisible();

  // An account without code is not a token: the API's 400 message is shown under the field.
  await page.getByLabel("Token contract address").fill(DEV_ACCOUNT);
  await page.getByRole("button", { name: "Add token" }).click();
  const tokenField = page.getByLabel("Token contract address");
  await expect(tokenField).toHaveAttribute("aria-invalid", "true");
  const tokenError = await tokenField.getAttribute("aria-describedby");
  await expect(page.locator(`[id="${tokenError}"]`)).not.toBeEmpty();
  await expect(page.getByText("No tokens tracked yet.")).toBeVisible();

  await tokenField.fill(token);
  await page.getByRole("button", { name: "Add token" }).click();
  const tokens = page.getByRole("list", { name: "Tracked tokens" });
  await expect(tokens.getByRole("listitem")).toHaveCount(1);
  await expect(tokens.getByText("1000 TUSD")).toBeVisible();
  await expect(tokenField).toHaveValue("");

  // transfer(0x…dEaD, 10^40): more TUSD than the signer holds, so the simulation reports the revert reason.
  const overdraw = `0xa9059cbb${"dead".padStart(64, "0")}${(10n ** 40n).toString(16).padStart(64, "0")}`;
  await simulate.getByLabel("To", { exact: true }).fill(token);
  await simulate.getByLabel("Value (ETH)").fill("");
  await simulate.getByLabel("Data (optional)").fill(overdraw);
  await simulate.getByRole("button", { name: "Simulate" }).click();
  await expect(page.getByText("The transaction would revert")).toBeVisible();
  await expect(page.getByText(/transfer amount exceeds balance/)).toBeVisible();

  await tokens.getByRole("button", { name: "Remove TUSD" }).click();
  await page.getByRole("dialog", { name: "Stop tracking token?" }).getByRole("button", { name: "Remove token" }).click();
  await expect(page.getByText("No tokens tracked yet.")).toBeVisible();

  // Dark theme (system preference): still no serious accessibility violations.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByTestId("signer-native-balance")).toContainText("ETH");
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Delete signer" }).click();
  const deleteDialog = page.getByRole("dialog", { name: "Delete signer?" });
  const confirmDelete = deleteDialog.getByRole("button", { name: "Delete signer" });
  await expect(confirmDelete).toBeDisabled();
  await deleteDialog.getByLabel(`Type ${renamed} to confirm`).fill("wrong name");
  await expect(confirmDelete).toBeDisabled();
  await deleteDialog.getByLabel(`Type ${renamed} to confirm`).fill(renamed);
  await confirmDelete.click();
  await expect(page).toHaveURL((url) => url.pathname === "/signers");
  await expect(page.getByTestId(`signer-row-${signer.id}`)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "No signers yet" })).toBeVisible();

  await page.goto(`/signers/${signer.id}`);
  await expect(page.getByRole("heading", { name: "Signer not found" })).toBeVisible();
});
