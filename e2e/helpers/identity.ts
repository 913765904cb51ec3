import { expect, type Page } from "@playwright/test";
import { addVirtualAuthenticator, copyCredentials, type VirtualAuthenticator } from "./webauthn";

/** The agents page's New agent dialog: returns the new agent's page URL. */
export async function createAgent(page: Page, name: string): Promise<string> {
  await page.goto("/agents");
  await page.getByTestId("new-agent").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("agent-name").fill(name);
  await dialog.getByTestId("create-agent-submit").click();
  await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}$/);
  return page.url();
}

/** The mock passport page in a second tab (the person's phone), holding the member's passkey: scans `documentNumber`. */
export async function scanOnPhone(page: Page, passkey: VirtualAuthenticator, link: string, documentNumber: string, expectDisclosed = true): Promise<string> {
  const phone = await page.context().newPage();
  const phoneKey = await addVirtualAuthenticator(phone);
  await copyCredentials(passkey, phoneKey);
  await phone.goto(link);
  const app = phone.getByTestId("mock-passport");
  await expect(app.getByText("Mock · development only")).toBeVisible();
  if (expectDisclosed) {
    await expect(app.getByTestId("mock-passport-disclosures")).toContainText("Age 18 or over");
    await expect(app.getByTestId("mock-passport-disclosures")).toContainText("Your nationality");
  }
  await app.getByLabel("Document number").fill(documentNumber);
  // The scan asks for the member's passkey (the virtual authenticator answers), then posts the callback.
  await app.getByRole("button", { name: "Scan mock passport" }).click();
  const outcome = (await app.getByTestId("mock-passport-outcome").textContent()) ?? "";
  await copyCredentials(phoneKey, passkey);
  await phone.close();
  return outcome;
}

