import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signInWithPasskey, signOut, signUp, uniqueUser } from "./helpers/auth";
import { installInjectedWallet } from "./helpers/injected-wallet";
import { addVirtualAuthenticator } from "./helpers/webauthn";

async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(" ")) }));
}

test("passkey sign-up, sign-out, sign-in and the API key lifecycle", async ({ page, request }) => {
  const authenticator = await addVirtualAuthenticator(page);
  const user = uniqueUser("keys");

  await signUp(page, user);
  await expect(page.getByText("Verify your email.")).toBeVisible();
  const credentials = await authenticator.credentials();
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);

  await signOut(page, user);
  await page.goto("/settings");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");

  await signInWithPasskey(page, user);

  await page.goto("/settings/api-keys");
  const createButton = page.getByRole("button", { name: "Create API key" }).first();
  const createDialog = page.getByRole("dialog", { name: "Create API key" });
  // Keyboard: the dialog takes focus, keeps Tab inside, closes on Escape and hands focus back.
  await createButton.click();
  await expect(createDialog).toBeVisible();
  await expect(createDialog.getByLabel("Name")).toBeFocused();
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press("Tab");
    expect(await createDialog.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(createDialog).toBeHidden();
  await expect(createButton).toBeFocused();

  await createButton.click();
  await expect(createDialog).toBeVisible();
  const keyName = `CI key ${Date.now().toString(36)}`;
  await createDialog.getByLabel("Name").fill(keyName);
  const scopeBoxes = createDialog.getByRole("checkbox");
  await expect(scopeBoxes.first()).toBeVisible();
  for (const box of await scopeBoxes.all()) await box.check();
  await createDialog.getByRole("button", { name: "Create key" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Copy your new API key" });
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog.getByText("This is the only time the secret is shown.")).toBeVisible();
  const secret = (await secretDialog.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  expect(secret.length).toBeGreaterThan(20);

  const withKey = () => request.get("/api/v1/audit-log", { headers: { "x-api-key": secret } });
  expect((await withKey()).status()).toBe(200);

  await secretDialog.getByRole("button", { name: "I have stored the key" }).click();
  await expect(secretDialog).toBeHidden();
  expect(await page.content()).not.toContain(secret);

  const row = page.getByRole("row").filter({ hasText: keyName });
  await expect(row).toBeVisible();
  const shownKey = (await row.locator("code").first().textContent())?.trim() ?? "";
  expect(shownKey.endsWith("…")).toBe(true);
  const prefix = shownKey.slice(0, -1);
  expect(prefix.length).toBeGreaterThan(0);
  expect(prefix.length).toBeLessThan(secret.length);
  expect(secret.startsWith(prefix)).toBe(true);

  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: keyName })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("button", { name: `Revoke ${keyName}` }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke API key?" });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: keyName }).getByText("Revoked")).toBeVisible();

  expect((await withKey()).status()).toBe(401);
});

test("passkeys: add a second one, rename it, and the last one cannot be removed", async ({ page }) => {
  const firstDevice = await addVirtualAuthenticator(page);
  const user = uniqueUser("passkeys");
  await signUp(page, user);
  await page.goto("/settings");
  const passkeys = page.getByRole("table", { name: "Passkeys" });
  await expect(passkeys.locator("tbody tr")).toHaveCount(1);

  await passkeys.getByRole("button", { name: /^Remove / }).click();
  const removeDialog = page.getByRole("dialog", { name: "Remove passkey?" });
  await removeDialog.getByRole("button", { name: "Remove passkey" }).click();
  await expect(removeDialog.getByRole("alert")).toHaveText(/only passkey/);
  await removeDialog.getByRole("button", { name: "Cancel" }).click();

  // The same device cannot hold two passkeys for one account (the server excludes its credential).
  await page.getByRole("button", { name: "Add passkey" }).click();
  const addDialog = page.getByRole("dialog", { name: "Add a passkey" });
  await addDialog.getByLabel("Passkey name").fill("Same laptop");
  await addDialog.getByRole("button", { name: "Create passkey" }).click();
  await expect(addDialog.getByRole("alert")).toHaveText(/already holds a passkey/);
  expect(await firstDevice.credentials()).toHaveLength(1);

  await firstDevice.remove();
  const secondDevice = await addVirtualAuthenticator(page);
  await addDialog.getByLabel("Passkey name").fill("Backup key");
  await addDialog.getByRole("button", { name: "Create passkey" }).click();
  await expect(addDialog).toBeHidden();
  await expect(passkeys.getByRole("cell", { name: "Backup key", exact: true })).toBeVisible();
  expect(await secondDevice.credentials()).toHaveLength(1);

  await passkeys.getByRole("button", { name: "Rename Backup key" }).click();
  const renameDialog = page.getByRole("dialog", { name: "Rename passkey" });
  await renameDialog.getByLabel("Passkey name").fill("Desk security key");
  await renameDialog.getByRole("button", { name: "Save" }).click();
  await expect(renameDialog).toBeHidden();
  await expect(passkeys.getByRole("cell", { name: "Desk security key", exact: true })).toBeVisible();

  await passkeys.getByRole("button", { name: "Remove Desk security key" }).click();
  await page.getByRole("dialog", { name: "Remove passkey?" }).getByRole("button", { name: "Remove passkey" }).click();
  await expect(passkeys.locator("tbody tr")).toHaveCount(1);
});

test("Sign-In With Ethereum through an injected wallet", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByText("open this page in a browser with a wallet extension")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with wallet" })).toHaveCount(0);

  const account = await installInjectedWallet(page);
  await page.goto("/sign-in?next=/settings");
  await page.getByRole("button", { name: "Sign in with wallet" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings");
  await expect(page.getByText(account.address)).toBeVisible();
});

test("phone layout: navigation lives in a drawer", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await addVirtualAuthenticator(page);
  const user = uniqueUser("phone");
  await signUp(page, user);

  await expect(page.getByRole("complementary")).toBeHidden();
  await page.getByRole("button", { name: "Open navigation" }).click();
  const drawer = page.getByRole("dialog", { name: "Navigation" });
  await expect(drawer).toBeVisible();
  await drawer.getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/audit");
  await expect(drawer).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Audit events" }).getByText("User registered")).toBeVisible();

  const hasHorizontalScroll = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(hasHorizontalScroll).toBe(false);

  await signOut(page, user);
});

test("the audit log pages with load more", async ({ page }) => {
  await addVirtualAuthenticator(page);
  const user = uniqueUser("audit");
  await signUp(page, user);

  // page.request carries the session cookie: create enough events to need a second page of 25.
  const scopes = (await (await page.request.get("/api/v1/api-keys/scopes")).json()) as { scopes: Array<{ id: string }> };
  const firstScope = scopes.scopes[0]?.id;
  expect(firstScope).toBeDefined();
  for (let i = 0; i < 26; i += 1) {
    const created = await page.request.post("/api/v1/api-keys", { data: { name: `bulk ${i}`, scopes: [firstScope] } });
    expect(created.status()).toBe(201);
  }

  await page.goto("/audit");
  const rows = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(page.getByText("Showing 25 events")).toBeVisible();
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByText("End of log")).toBeVisible();
  const total = await rows.count();
  expect(total).toBeGreaterThan(26);
  await expect(page.getByText(`Showing ${total} events`)).toBeVisible();
  const ids = await rows.evaluateAll((elements) => elements.map((row) => row.textContent));
  expect(new Set(ids).size).toBe(ids.length);
});

test("the theme choice applies at once and survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/sign-in");
  const html = page.locator("html");
  const themes = page.getByRole("radiogroup", { name: "Colour theme" });
  await expect(themes.getByRole("radio", { name: "System" })).toHaveAttribute("aria-checked", "true");
  await expect(html).not.toHaveClass(/\bdark\b/);

  await themes.getByRole("radio", { name: "Dark" }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(themes.getByRole("radio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");

  // Arrow keys move through the options like any radio group.
  await themes.getByRole("radio", { name: "Dark" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(themes.getByRole("radio", { name: "System" })).toBeFocused();
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
});

test("the built server's request handlers compute on the backend the instance selected at start-up, not the BigInt default", async ({ request }) => {
  // instrumentation.ts selects the backend in its own bundle; the route handlers are bundled apart.
  const text = await (await request.get("/metrics")).text();
  const samples = [...text.matchAll(/^countersign_mpc_backend\{backend="(\w+)"\} 1$/gm)].map((m) => m[1]);
  expect(samples).toHaveLength(1);
  expect(["openssl", "wasm"]).toContain(samples[0]);
});

test("an anonymous visit to /settings redirects to sign-in", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === "/settings");
  await expect(page.getByRole("button", { name: "Sign in with passkey" })).toBeVisible();
});

test("sign-in, the dashboard home, settings and audit have no serious accessibility violations", async ({ page }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in with passkey" })).toBeVisible();
    expect(await seriousAccessibilityViolations(page), `/sign-in (${colorScheme})`).toEqual([]);
  }

  await addVirtualAuthenticator(page);
  const user = uniqueUser("a11y");
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === "light") await signUp(page, user);
    else await page.goto("/");
    // Let the overview cards finish loading so their final content is what gets scanned.
    await expect(page.getByRole("status", { name: /Loading/ })).toHaveCount(0);
    expect(await seriousAccessibilityViolations(page), `/ (${colorScheme})`).toEqual([]);
  }

  for (const colorScheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const path of ["/settings", "/audit"]) {
      await page.goto(path);
      await expect(page.getByRole("status", { name: /Loading/ })).toHaveCount(0);
      await expect(page.getByRole("table").first()).toBeVisible();
      expect(await seriousAccessibilityViolations(page), `${path} (${colorScheme})`).toEqual([]);
    }
  }
});
