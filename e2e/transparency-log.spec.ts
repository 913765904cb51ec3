import { expect, test, type Locator } from "@playwright/test";
import { committedLeaf } from "../lib/tlog/commitment";
import { canonicalize } from "../lib/tlog/jcs";
import { signUp, uniqueUser } from "./helpers/auth";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/** Clicks Verify (or Retry while the event waits for its checkpoint) until the row shows a result. */
async function verifyRow(row: Locator) {
  await expect(async () => {
    await row.getByRole("button", { name: /Verify event/ }).click();
    await expect(row.getByTestId("tlog-verify-result")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

test("the audit view shows the transparency log and verifies an event in the browser, on a phone too", async ({ page }) => {
  await addVirtualAuthenticator(page);
  const user = uniqueUser("tlog");
  await signUp(page, user);

  const scopes = (await (await page.request.get("/api/v1/api-keys/scopes")).json()) as { scopes: Array<{ id: string }> };
  const created = await page.request.post("/api/v1/api-keys", { data: { name: "tlog e2e", scopes: [scopes.scopes[0]!.id] } });
  expect(created.status()).toBe(201);

  await page.goto("/audit");
  const panel = page.getByRole("region", { name: "Transparency log" });
  await expect(panel.getByTestId("tlog-tree-size")).toHaveText(/^[1-9][0-9]*$/);
  const sth = (await (await page.request.get("/api/v1/transparency-log/sth")).json()) as { vkey: string; origin: string };
  await expect(panel.getByText(sth.vkey)).toBeVisible();
  await panel.getByText("Signed checkpoint").click();
  await expect(panel.getByTestId("tlog-note")).toContainText(sth.origin);

  const row = page.getByRole("table", { name: "Audit events" }).locator("tbody tr").filter({ hasText: "api_key.created" }).first();
  await verifyRow(row);
  await expect(row.getByTestId("tlog-verify-result")).toHaveText(new RegExp(`^Verified: leaf \\d+ of \\d+ under checkpoint ${sth.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `));
  // Verified on first use pins the key in this browser.
  expect(await page.evaluate(() => localStorage.getItem("countersign.tlog.vkey"))).toBe(sth.vkey);
  await expect(panel.getByText("Pinned in this browser")).toBeVisible();

  // A tampered bundle is refused by the browser's own check.
  await page.route("**/api/v1/transparency-log/decisions/*", async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { entries: Array<{ leaf: string; salt: string; event: Record<string, unknown>; tlog_proof: string }> };
    const e = body.entries[0]!;
    // A consistent forgery: another event, its own commitment under the same salt as the leaf, the proof's copy too.
    e.event = { ...e.event, action: "api_key.revoked" };
    e.leaf = committedLeaf(new TextEncoder().encode(canonicalize(e.event)), e.event.kind as string, new Uint8Array(Buffer.from(e.salt, "base64")));
    e.tlog_proof = e.tlog_proof.replace(/^extra .*$/m, `extra ${Buffer.from(e.leaf).toString("base64")}`);
    await route.fulfill({ response, json: body });
  });
  await row.getByRole("button", { name: /Verify event/ }).click();
  await expect(row.getByTestId("tlog-verify-result")).toHaveText(/^Not verified: The inclusion proof of leaf \d+ does not lead to the checkpoint root/);
  await page.unroute("**/api/v1/transparency-log/decisions/*");

  // A different pinned key: the signature check fails and the change is flagged.
  const otherKey = sth.vkey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
  await page.evaluate((k) => localStorage.setItem("countersign.tlog.vkey", k), otherKey);
  await row.getByRole("button", { name: /Verify event/ }).click();
  await expect(row.getByTestId("tlog-verify-result")).toHaveText(/^Not verified: (The checkpoint is not signed|Unusable log key)/);
  await expect(row.getByRole("alert")).toContainText("different key");
  await row.getByRole("button", { name: "Trust the new key" }).click();
  await expect(row.getByTestId("tlog-verify-result")).toHaveText(/^Verified: leaf /);

  // Phone width: the panel and the row's Verify fit without horizontal scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const phoneRow = page.getByRole("table", { name: "Audit events" }).locator("tbody tr").filter({ hasText: "api_key.created" }).first();
  await verifyRow(phoneRow);
  await expect(phoneRow.getByTestId("tlog-verify-result")).toHaveText(/^Verified: leaf /);
  const hasHorizontalScroll = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  expect(hasHorizontalScroll).toBe(false);
});
