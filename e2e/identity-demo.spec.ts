import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { overflowingElements } from "./helpers/layout";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * The Agent identity demo page (issue #17): reached from Agents, the five patterns with their CLI
 * commands naming the demo verifier that `npm start` deployed on the devnet, the census's empty state;
 * no horizontal overflow on a phone, no serious or critical axe violation, in light and dark.
 */
test("identity demo page: the five patterns with the devnet verifier in the commands, on a phone and a desktop", async ({ page }) => {
  test.setTimeout(180_000);
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("demo"));
  await page.goto("/agents");
  await page.getByRole("link", { name: "Agent identity demo" }).click();
  await expect(page).toHaveURL(/\/identity\/demo$/);
  await expect(page.getByRole("heading", { level: 1, name: "Agent identity demo" })).toBeVisible();
  for (const title of ["Service verifies an agent", "Agent to agent (mutual verification)", "Agent to chain (meta-transaction)", "Census (agent-gated data)", "AI chat with a verified identity"]) {
    await expect(page.getByRole("heading", { level: 2, name: new RegExp(title.replace(/[()]/g, "\\$&")) })).toBeVisible();
  }
  await expect(page.getByText(/identity meta-verify --verifier 0x[0-9a-fA-F]{40} --chain-id \d+ --nonce 0/)).toBeVisible();
  await expect(page.getByText("node bin/countersign.mjs identity sign", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("No agent has contributed yet")).toBeVisible();

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const vp of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(vp);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const o = await overflowingElements(page);
      expect(o.scrollWidth, `${theme} ${vp.width}`).toBeLessThanOrEqual(o.viewport);
      expect(o.elements, `${theme} ${vp.width}`).toEqual([]);
      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id), `${theme} ${vp.width}`).toEqual([]);
    }
  }
  expect(consoleErrors).toEqual([]);
});
