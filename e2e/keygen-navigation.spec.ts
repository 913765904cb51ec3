/**
 * Long work survives navigation inside the app (issue #21): the create-signer wizard's safe-prime
 * search and key generation (fast-test MPC profile, the agent joining from `countersign join` in its
 * own process) keep running while the user visits other dashboard pages. The shell shows their
 * progress meanwhile, and back on /signers/new the wizard shows the same work further along — not a
 * restart. One document throughout (a marker on window survives every navigation).
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { addVirtualAuthenticator } from "./helpers/webauthn";
import { SessionClient } from "./helpers/signer-setup";
import { spawnAgentJoin } from "./helpers/agent-cli";

/** "7 s" / "2 min 05 s" (components/ui/elapsed.tsx) → seconds. */
function elapsedSeconds(text: string | null): number {
  const m = /(?:(\d+) min )?(\d+) s/.exec(text ?? "");
  if (!m) throw new Error(`not an elapsed time: ${text}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}

const valueNow = async (bar: Locator) => Number(await bar.getAttribute("aria-valuenow"));

async function navigate(page: Page, link: string, path: string) {
  await page.getByTestId("sidebar-column").getByRole("link", { name: link, exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === path);
}

test("key generation keeps running while the user visits other pages; the shell shows it, and the wizard resumes where it is", async ({ page, context, baseURL }) => {
  test.setTimeout(1_800_000);
  await addVirtualAuthenticator(page, { prf: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signUp(page, uniqueUser("keygen-nav"));
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto("/signers/new");
  const primesBar = page.getByTestId("wizard-primes-bar");
  await expect(page.getByTestId("wizard-primes-status")).toContainText(/Generating safe primes: \d of 4|Safe primes ready: 4 of 4/);
  await page.evaluate(() => ((window as unknown as { keygenMarker: string }).keygenMarker = "same document"));
  const marker = () => page.evaluate(() => (window as unknown as { keygenMarker?: string }).keygenMarker ?? null);
  const name = `Roaming bot ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  const indicator = page.getByTestId("keygen-indicator");
  await expect(indicator).toHaveCount(0); // on the wizard's own page, the wizard shows it

  // 1. Away during the safe-prime search: the shell shows primes found of 4 and the elapsed time,
  //    and the count goes on growing there (the workers kept running).
  const foundBefore = await valueNow(primesBar);
  const searching = page.getByTestId("wizard-primes-elapsed");
  const searchedBefore = (await searching.isVisible()) ? elapsedSeconds(await searching.textContent()) : null;
  await navigate(page, "Signers", "/signers");
  await expect(indicator).toContainText("Preparing a new signer");
  await expect(indicator.getByTestId("keygen-indicator-status")).toContainText(/Generating safe primes: \d of 4|Safe primes ready: 4 of 4/);
  await expect(indicator.getByTestId("keygen-indicator-elapsed")).toContainText(/Elapsed \d/);
  const indicatorBar = indicator.getByTestId("keygen-indicator-bar");
  expect(await valueNow(indicatorBar)).toBeGreaterThanOrEqual(foundBefore);
  if (foundBefore < 4) await expect.poll(() => valueNow(indicatorBar), { timeout: 900_000, intervals: [1000] }).toBeGreaterThan(foundBefore);
  const foundAway = await valueNow(indicatorBar);
  await navigate(page, "Audit", "/audit");
  await expect(indicator).toBeVisible();

  // 2. Back through the indicator: the same wizard — the name typed, the primes found, the search
  //    clock not restarted.
  await indicator.getByRole("link", { name: "Open" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/signers/new");
  await expect(indicator).toHaveCount(0);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  expect(await valueNow(primesBar)).toBeGreaterThanOrEqual(foundAway);
  if (searchedBefore !== null && (await searching.isVisible())) expect(elapsedSeconds(await searching.textContent())).toBeGreaterThanOrEqual(searchedBefore);
  expect(await marker()).toBe("same document");

  // 3. Key generation: continue, protect with the passkey, the invitation for the agent.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Protect with my passkey" }).click();
  await expect(page.getByTestId("wizard-invitation")).toBeVisible({ timeout: 60_000 });
  const command = ((await page.getByTestId("wizard-join-command").textContent()) ?? "").trim();
  expect(command).toMatch(/^npx countersign join cs-join:v1:[A-Za-z0-9_-]+$/);
  const ceremonyBefore = elapsedSeconds(await page.getByTestId("wizard-elapsed").textContent());

  // 4. Away while the agent joins and the rounds run: the shell follows the ceremony.
  await navigate(page, "Overview", "/");
  await expect(indicator).toContainText(`Generating the key of ${name}`);
  const status = indicator.getByTestId("keygen-indicator-status");
  await expect(status).toContainText(/Waiting for the agent to join|Waiting for your safe primes/);
  const agent = spawnAgentJoin(command.slice("npx countersign join ".length));
  try {
    // The ceremony moves on while no page of the wizard is shown: its rounds, or already its end.
    await expect(indicator).toContainText(/Key generation: round \d of 4|Auxiliary info.*round \d of 4|Encrypting your share|confirm the public key|is ready/, { timeout: 1_200_000 });
    const seenAway = (await indicator.textContent()) ?? "";

    // 5. Back: the wizard is further along than when the user left, its clock not restarted, and it completes.
    await indicator.getByRole("link", { name: "Open" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/signers/new");
    if (!/is ready/.test(seenAway)) {
      const elapsed = page.getByTestId("wizard-elapsed");
      const text = await elapsed.textContent({ timeout: 1000 }).catch(() => null);
      if (text) expect(elapsedSeconds(text)).toBeGreaterThanOrEqual(ceremonyBefore);
    }
    await expect(page.getByTestId("wizard-done")).toBeVisible({ timeout: 1_200_000 });
    await expect(page.getByTestId("wizard-done")).toContainText(name);
  } finally {
    if (agent.child.exitCode === null) setTimeout(() => agent.child.kill("SIGTERM"), 120_000).unref();
  }
  const cli = await agent.exited;
  expect(cli.code, `countersign join:\n${cli.stdout}\n${cli.stderr}`).toBe(0);
  const client = await SessionClient.fromContext(context, baseURL!);
  const { signers } = await client.request<{ signers: { name: string; status: string }[] }>("signers", "GET", "/api/v1/signers");
  expect(signers.find((s) => s.name === name)?.status).toBe("active");
  expect(await marker()).toBe("same document");

  // 6. Leaving the finished wizard ends the job: no indicator, and the next visit starts a new wizard.
  await navigate(page, "Signers", "/signers");
  await expect(page.getByText(name).first()).toBeVisible();
  await expect(indicator).toHaveCount(0);
  await page.getByRole("link", { name: "New signer" }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/signers/new");
  await expect(page.getByTestId("wizard-step")).toHaveText("1. Name and network");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");
  expect(errors).toEqual([]);
});
