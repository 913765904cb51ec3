import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { parseEther } from "viem";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg, fundFromDevAccount } from "./helpers/signer-setup";
import { overflowingElements } from "./helpers/layout";
import { addVirtualAuthenticator } from "./helpers/webauthn";

const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(" ")) }));
}

/** Starts a Signer+Server session with the signer's API key: the server records its guardrail decision. */
async function startSession(request: APIRequestContext, apiKey: string, ether: string) {
  const response = await request.post("/api/v1/sign/session", {
    headers: { "x-api-key": apiKey },
    data: {
      transaction: { to: RECIPIENT, value: parseEther(ether).toString() },
      clientNonce: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex"),
    },
  });
  return { status: response.status(), body: (await response.json()) as { signingRequestId?: string; status?: string } };
}

test("guardrails: built-in policy form, rules draft with diff and backtest, activation, history, audit filters", async ({ page, context, baseURL, request }) => {
  test.setTimeout(600_000);
  await addVirtualAuthenticator(page);
  const user = uniqueUser("policies");
  await signUp(page, user);

  const client = await SessionClient.fromContext(context, baseURL!);
  const signer = await createSignerViaDkg(client, `Payments bot ${Date.now().toString(36)}`);
  await fundFromDevAccount(client, signer.chainId, signer.address, "5");

  // History for the backtest: two requests decided while no guardrail existed (both allowed).
  for (const ether of ["0.2", "0.8"]) {
    const started = await startSession(request, signer.apiKey, ether);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }

  // From the signer page to its guardrails.
  await page.goto(`/signers/${signer.id}`);
  await page.getByRole("link", { name: /Guardrails/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/signers/${signer.id}/policies`);
  await expect(page.getByRole("heading", { level: 1, name: "Guardrails" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No built-in policies" })).toBeVisible();

  // A daily limit through the form: a bad amount is refused next to its field first.
  await page.getByRole("button", { name: "Add policy" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a guardrail" });
  await dialog.getByLabel("Policy type").selectOption("daily_limit");
  const amount = dialog.getByLabel("Maximum amount (ETH)");
  await amount.fill("ten");
  await dialog.getByRole("button", { name: "Add policy" }).click();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  const describedBy = ((await amount.getAttribute("aria-describedby")) ?? "").split(" ");
  await expect(page.locator(`[id="${describedBy[describedBy.length - 1]}"]`)).toHaveText("Enter an amount like 1.5");
  await amount.fill("10");
  await dialog.getByRole("button", { name: "Add policy" }).click();
  await expect(dialog).toBeHidden();
  const daily = page.getByTestId("policy-daily_limit");
  await expect(daily.getByTestId("policy-summary")).toHaveText("At most 10 ETH in any 24 hours");
  await expect(daily.getByText("v1")).toBeVisible();
  const enabledSwitch = daily.getByRole("switch", { name: "Daily limit enabled" });
  await expect(enabledSwitch).toHaveAttribute("aria-checked", "true");
  await enabledSwitch.click();
  await expect(enabledSwitch).toHaveAttribute("aria-checked", "false");
  await expect(daily.getByText("v2")).toBeVisible();
  await enabledSwitch.click();
  await expect(enabledSwitch).toHaveAttribute("aria-checked", "true");
  await daily.getByRole("button", { name: "Edit Daily limit" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit daily limit" });
  await expect(editDialog.getByLabel("Maximum amount (ETH)")).toHaveValue("10");
  await editDialog.getByLabel("Maximum amount (ETH)").fill("12.5");
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(editDialog).toBeHidden();
  await expect(daily.getByTestId("policy-summary")).toHaveText("At most 12.5 ETH in any 24 hours");
  await expect(daily.getByText("v4")).toBeVisible();

  // Rules: the starter rule plus a new one, validated live.
  const rules = page.getByRole("list", { name: "Rules" });
  await expect(rules.getByTestId("rule-1").getByTestId("rule-preview")).toHaveText("Reads: Require approval when value > 1 ETH");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule2 = rules.getByTestId("rule-2");
  await expect(rule2.getByTestId("rule-issues")).toContainText("value");
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
  await rule2.getByLabel("Rule 2 condition 1 value").fill("0.5 ETH");
  await rule2.getByLabel("Rule 2 action").selectOption("deny");
  await rule2.getByLabel("Rule 2 description").fill("Nothing above half an ether");
  await expect(rule2.getByTestId("rule-preview")).toHaveText("Reads: Deny when value > 0.5 ETH");
  await expect(page.getByTestId("rules-valid")).toContainText("2 rules");

  // The JSON view shows the same document; a syntax error there is reported, not saved.
  await page.getByRole("tab", { name: "JSON" }).click();
  const json = page.getByLabel("Rules document (JSON)");
  await expect(json).toHaveValue(/"large-transfers"/);
  const text = await json.inputValue();
  await json.fill(text.replace('"defaultAction": "allow"', '"defaultAction": "sometimes"'));
  await expect(page.getByTestId("rules-invalid")).toContainText("defaultAction");
  await json.fill(text);
  await expect(page.getByTestId("rules-valid")).toBeVisible();
  await page.getByRole("tab", { name: "Rules" }).click();

  // Nothing is active yet: both rules are additions.
  await expect(page.getByTestId("diff-headline")).toHaveText("2 added");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft version 1 saved")).toBeVisible();

  // Backtest the draft over the two past requests: 0.8 ETH would now be denied.
  await page.getByRole("button", { name: "Run backtest" }).click();
  const results = page.getByTestId("backtest-results");
  await expect(results).toBeVisible();
  await expect(results.getByText("Requests replayed").locator("xpath=following-sibling::dd")).toHaveText("2");
  await expect(results.getByText("Would change").locator("xpath=following-sibling::dd")).toHaveText("1");
  await expect(results.getByText("Allow → deny", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("backtest-chart")).toBeVisible();
  const changed = page.getByRole("table", { name: "Requests that would be decided differently" });
  await expect(changed.locator("tbody tr")).toHaveCount(1);
  await expect(changed.locator("tbody tr").first()).toContainText("Deny");

  // Activate with a confirmation naming the version.
  await page.getByRole("button", { name: "Activate version 1" }).click();
  const confirm = page.getByRole("dialog", { name: "Activate version 1?" });
  await expect(confirm).toContainText("2 added");
  await confirm.getByRole("button", { name: "Activate version 1" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Rules v1 active")).toBeVisible();
  await expect(page.getByTestId("diff-headline")).toHaveText("No differences");
  const history = page.getByRole("list", { name: "Rules versions" });
  const v1 = history.getByTestId("history-v1");
  await expect(v1).toContainText("Active");
  await expect(v1).toContainText(`Activated by ${user.email}`);

  // The active rules now decide: 0.8 ETH is refused with the rule's reason.
  const refused = await startSession(request, signer.apiKey, "0.8");
  expect(refused.status).toBe(403);


  // Phones: the page reflows without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("policy-daily_limit")).toBeVisible();
  const layout = await overflowingElements(page);
  expect(layout.scrollWidth, `wider than the phone: ${layout.elements.join("; ")}`).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Dark theme: still readable and accessible.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByTestId("history-v1")).toBeVisible();
  await expect(page.getByTestId("rules-valid")).toBeVisible();
  await expect(page.getByText("Same as the active version 1")).toBeVisible();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "light" });

  // require_approval parks the request; an approver decides it in the inbox.
  const parked = await startSession(request, signer.apiKey, "1.5");
  expect(parked.status, JSON.stringify(parked.body)).toBe(202);
  await page.goto("/approvals");
  const card = page.getByTestId(`approval-${parked.body.signingRequestId}`);
  await expect(card).toContainText("Send 1.5 ETH to 0x7099…79C8");
  await expect(card).toContainText("Why:");
  await expect(card).toContainText(signer.name);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await card.getByRole("button", { name: "Approve" }).click();
  const approveDialog = page.getByRole("dialog", { name: "Approve this request?" });
  await expect(approveDialog).toContainText("Send 1.5 ETH");
  await approveDialog.getByRole("button", { name: "Approve" }).click();
  await expect(approveDialog).toBeHidden();
  await expect(card).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Nothing waiting" })).toBeVisible();
  const decided = page.getByRole("list", { name: "Decided requests" });
  await expect(decided).toContainText("Approved");
  await expect(decided).toContainText("Send 1.5 ETH to 0x7099…79C8");

  // The overview lists the signer with its counts.
  await page.goto("/policies");
  const row = page.getByTestId(`policies-row-${signer.id}`);
  await expect(row.getByTestId("builtin-count")).toHaveText("1 active");
  await expect(row.getByText("Version 1")).toBeVisible();
  await expect(row.getByText("—")).toBeVisible();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Audit: policy events, the filter in the URL, and the CSV of the same filter.
  await page.goto("/audit?action=policy.*");
  const events = page.getByRole("table", { name: "Audit events" });
  await expect(events.getByText("Policy created")).toBeVisible();
  await expect(events.getByText("Policy activated")).toBeVisible();
  await expect(events.getByText("User registered")).toHaveCount(0);
  await expect(page.getByLabel("Action")).toHaveValue("policy.*");
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByLabel("Action").fill("policy.activated");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("action") === "policy.activated");
  await expect(events.locator("tbody tr")).toHaveCount(1);
  await expect(events.getByText("Policy activated")).toBeVisible();
  const csvLink = page.getByRole("link", { name: "Download CSV" });
  await expect(csvLink).toHaveAttribute("href", "/api/v1/audit-log/export?action=policy.activated");
  const csv = await page.request.get((await csvLink.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  const body = await csv.text();
  expect(body).toContain("policy.activated");
  expect(body).not.toContain("policy.created");

  await page.getByLabel("Signer").selectOption(signer.id);
  await page.getByLabel("Action").fill("");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("signer") === signer.id && !url.searchParams.has("action"));
  await expect(events.getByText("Policy created")).toBeVisible();
  await expect(events.getByText("User registered")).toHaveCount(0);

  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page).toHaveURL((url) => url.search === "");
  await expect(events.getByText("User registered")).toBeVisible();

  // Deleting a built-in policy asks first.
  await page.goto(`/signers/${signer.id}/policies`);
  await page.getByTestId("policy-daily_limit").getByRole("button", { name: "Delete Daily limit" }).click();
  const deleteDialog = page.getByRole("dialog", { name: "Delete this policy?" });
  await expect(deleteDialog).toContainText("At most 12.5 ETH in any 24 hours");
  await deleteDialog.getByRole("button", { name: "Delete policy" }).click();
  await expect(deleteDialog).toBeHidden();
  await expect(page.getByRole("heading", { name: "No built-in policies" })).toBeVisible();
});
