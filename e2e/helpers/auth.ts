import { expect, type Page } from "@playwright/test";

export interface TestUser {
  email: string;
  name: string;
}

/** A fresh identity per call, unique across runs and parallel workers. */
export function uniqueUser(label = "e2e"): TestUser {
  const suffix = `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
  return { email: `${label}-${suffix}@example.test`, name: `E2E ${label} ${suffix.slice(-4)}` };
}

/** Signs up through /sign-up; the page must already have a virtual authenticator attached. */
export async function signUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Full name").fill(user.name);
  await page.getByRole("button", { name: "Create account with passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.name}` })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/");
}

export async function signInWithPasskey(page: Page, user: TestUser): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.name}` })).toBeVisible();
}

/** Signs out through the account menu (desktop sidebar or the phone drawer). */
export async function signOut(page: Page, user: TestUser): Promise<void> {
  const openNavigation = page.getByRole("button", { name: "Open navigation" });
  if (await openNavigation.isVisible()) await openNavigation.click();
  await page.getByRole("button", { name: `Account: ${user.name}` }).filter({ visible: true }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
}
