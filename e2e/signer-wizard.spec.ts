/**
 * The whole human path in Chromium against `npm start` (fast-test MPC profile), with the three parties
 * of key generation in three processes: passkey sign-up with a PRF-capable virtual authenticator →
 * the wizard starts its safe primes as soon as it opens → it shows the invitation, and the agent joins
 * from `countersign join <invitation>` in a separate Node process, which writes its own encrypted share
 * file → the browser runs only the user's party (p2p messages with the agent end-to-end encrypted),
 * encrypts the user share under a passkey PRF key → no request or response the page saw carries the
 * agent's share → fund from the devnet → send from the browser (User+Server) → mined. The server's
 * user_shares row is read straight from the embedded database: ciphertext only. A second test covers
 * the honestly labelled one-browser mode (audited) and primes surviving a reload, sealed.
 */
import { expect, test, type BrowserContext } from "@playwright/test";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import pg from "pg";
import { createPublicClient, getAddress, http, parseEther, type Address } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { decryptShareFile } from "../lib/sdk/share-file";
import { identityPublicKey } from "../lib/signing/message-auth";
import { signUp, uniqueUser } from "./helpers/auth";
import { addVirtualAuthenticator } from "./helpers/webauthn";
import { SessionClient } from "./helpers/signer-setup";
import { spawnAgentJoin } from "./helpers/agent-cli";
import { expectMinedAndClose } from "./helpers/send";

/**
 * The URL of the e2e server's embedded PostgreSQL: tools/start.ts (the process whose environment names
 * this run's data directory) serves PGlite on a random loopback port; find it through /proc.
 */
function embeddedDatabaseUrls(dataDir: string): string[] {
  const listening = new Map<string, number>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A" && cols[1] && cols[9]) listening.set(cols[9], parseInt(cols[1].split(":")[1]!, 16));
    }
  }
  const ports = new Set<number>();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.includes("tools/start.ts")) continue;
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (!env.includes(`COUNTERSIGN_DATA_DIR=${dataDir}`)) continue;
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        const port = m ? listening.get(m[1]!) : undefined;
        if (port) ports.add(port);
      }
    } catch {
      continue;
    }
  }
  return [...ports].map((port) => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
}

async function userShareRow(dataDir: string, signerId: string): Promise<{ ciphertext: string; encryption: Record<string, unknown> }> {
  for (const url of embeddedDatabaseUrls(dataDir)) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const r = await client.query<{ ciphertext: string; encryption: Record<string, unknown> }>("SELECT ciphertext, encryption FROM user_shares WHERE signer_id = $1", [signerId]);
      if (r.rows[0]) return r.rows[0];
    } catch {
      // not the database (e.g. another listener of the start process)
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error("could not read the user_shares row from the e2e server's embedded database");
}

/** Every /api request and response body the browser context sent or received, pages and workers alike. */
function recordApiTraffic(context: BrowserContext) {
  const bodies: { dir: "request" | "response"; method: string; path: string; body: string }[] = [];
  const api = (url: string) => new URL(url).pathname.startsWith("/api/");
  context.on("request", (req) => {
    if (api(req.url())) bodies.push({ dir: "request", method: req.method(), path: new URL(req.url()).pathname, body: req.postData() ?? "" });
  });
  context.on("response", async (res) => {
    if (!api(res.url())) return;
    const entry = { dir: "response" as const, method: res.request().method(), path: new URL(res.url()).pathname, body: "" };
    bodies.push(entry);
    try {
      entry.body = (await res.body()).toString("utf8");
    } catch {
      entry.body = "";
    }
  });
  return bodies;
}

function addressOf(compressed: string): Address {
  return getAddress(publicKeyToAddress(`0x${bytesToHex(secp256k1.Point.fromHex(compressed).toBytes(false))}`));
}

test("create a signer with the agent joining from the CLI (its share never in the browser), fund, send from the browser", async ({ page, context, baseURL }) => {
  // Browser key generation is CPU-bound (four safe primes in JS workers); generous bounds keep a busy machine from failing it.
  test.setTimeout(1_800_000);
  const authenticator = await addVirtualAuthenticator(page, { prf: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const traffic = recordApiTraffic(context);
  const user = uniqueUser("wizard");
  await signUp(page, user);

  await page.goto("/signers");
  await page.getByRole("link", { name: "New signer" }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/signers/new");

  // 0. The browser's four safe primes start as soon as the wizard opens, before a name is typed,
  //    with per-prime activity (candidates tried) rather than a stuck counter.
  const primesStatus = page.getByTestId("wizard-primes-status");
  await expect(primesStatus).toContainText(/Generating safe primes: \d of 4|Safe primes ready: 4 of 4/);
  await expect(page.getByTestId("wizard-prime").first()).toContainText(/candidates tried|found in/);
  await page.screenshot({ path: test.info().outputPath("wizard-details.png"), fullPage: true });

  // 1. Name and network (the local devnet is the default); the one-browser mode is off by default.
  const name = `Wizard bot ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Network")).toHaveValue("31337");
  await expect(page.getByLabel("This browser will briefly hold the agent's share too")).not.toBeChecked();
  await page.getByRole("button", { name: "Continue" }).click();

  // 2. Protect the user share with the sign-in passkey: it was registered with the PRF extension, so
  //    it derives the key that seals the share (no second passkey is created).
  const credentialsBefore = await authenticator.credentials();
  expect(credentialsBefore.length).toBe(1);
  await page.getByRole("button", { name: "Protect with my passkey" }).click();

  // 3. The invitation: the command to paste, with a copy button and a QR code; the wizard waits.
  await expect(page.getByTestId("wizard-generate")).toBeVisible();
  await expect(page.getByTestId("wizard-invitation")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("wizard-invitation-qr")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy command" })).toBeVisible();
  await expect(page.getByTestId("wizard-progress")).toContainText("Waiting for the agent to join");
  const command = ((await page.getByTestId("wizard-join-command").textContent()) ?? "").trim();
  expect(command).toMatch(/^npx countersign join cs-join:v1:[A-Za-z0-9_-]+$/);
  const invitation = command.slice("npx countersign join ".length);
  await page.screenshot({ path: test.info().outputPath("wizard-invitation.png"), fullPage: true });

  // 4. The agent joins from its own process: `countersign join <invitation>` (native primes).
  const agent = spawnAgentJoin(invitation);
  try {
    const seen = new Set<string>();
    const progress = page.getByTestId("wizard-progress");
    const done = page.getByTestId("wizard-done");
    let cliExit: { code: number | null; stdout: string; stderr: string } | null = null;
    void agent.exited.then((r) => (cliExit = r));
    const deadline = Date.now() + 1_200_000;
    for (;;) {
      // Short timeouts: the progress line unmounts when the wizard finishes (a bare textContent() would wait for it forever).
      const text = await progress.textContent({ timeout: 500 }).catch(() => null);
      if (text) seen.add(text.split(":")[0]!.replace(/….*$/, ""));
      if (await done.isVisible()) break;
      const failed = await page.getByTestId("wizard-error").textContent({ timeout: 200 }).catch(() => null);
      const exit = cliExit as { code: number | null; stdout: string; stderr: string } | null;
      if (failed || (exit && exit.code !== 0) || Date.now() > deadline) {
        await page.screenshot({ path: test.info().outputPath("wizard-failed.png"), fullPage: true }).catch(() => undefined);
        throw new Error(`wizard: ${failed ?? "-"}\ncountersign join (${exit?.code ?? "running"}):\n${exit?.stdout ?? ""}\n${exit?.stderr ?? ""}`);
      }
      await page.waitForTimeout(250);
    }
    expect([...seen].some((s) => /Key generation|Auxiliary info/.test(s)), [...seen].join(" | ")).toBe(true);
  } finally {
    if (agent.child.exitCode === null) setTimeout(() => agent.child.kill("SIGTERM"), 120_000).unref();
  }
  const cli = await agent.exited;
  expect(cli.code, `countersign join:\n${cli.stdout}\n${cli.stderr}`).toBe(0);
  await expect(page.getByTestId("wizard-agent-holds-share")).toContainText("The agent holds its own share");
  await page.screenshot({ path: test.info().outputPath("wizard-done.png"), fullPage: true });
  await expect(page.getByTestId("wizard-no-prf")).toHaveCount(0);
  const credentialsAfter = await authenticator.credentials();
  expect(credentialsAfter.length).toBe(1);

  // 5. The agent's share file (written by the CLI) opens and belongs to the signer.
  const client = await SessionClient.fromContext(context, baseURL!);
  const { signers } = await client.request<{ signers: { id: string; name: string; address: string; publicKey: string; status: string; chainId: number; identities: { agent: string | null; user: string | null } }[] }>("signers", "GET", "/api/v1/signers");
  const signer = signers.find((s) => s.name === name)!;
  expect(signer.status).toBe("active");
  const opened = await decryptShareFile(readFileSync(agent.shareFile, "utf8"), agent.passphrase);
  // Both client identities are registered: the agent's from its share file, the user's derived from the passkey's PRF.
  expect(signer.identities.agent).toBe(identityPublicKey(opened.identity!));
  expect(signer.identities.user).toMatch(/^[0-9a-f]{64}$/);
  expect(opened.signerId).toBe(signer.id);
  expect(opened.apiKey).toMatch(/^css_/);
  expect(opened.profile).toBe("fast-test");
  expect(opened.share.core.index).toBe(0);
  expect(opened.share.core.publicKey).toBe(signer.publicKey);
  expect(addressOf(opened.share.core.publicKey)).toBe(getAddress(signer.address));
  expect(getAddress(opened.address)).toBe(getAddress(signer.address));

  // 6. Nothing the browser sent or received carries the agent's share (its secret scalar in any
  //    encoding, its Paillier primes) or the signer's API key, which went to the agent only.
  const dkgTraffic = traffic.filter((t) => t.path.startsWith("/api/v1/dkg/"));
  expect(dkgTraffic.some((t) => t.dir === "request" && t.path === "/api/v1/dkg/round" && /"party":2/.test(t.body))).toBe(true); // the worker's requests are recorded
  expect(dkgTraffic.some((t) => t.dir === "response" && t.path === "/api/v1/dkg/round" && t.body.length > 0)).toBe(true);
  const x = opened.share.core.secretShare.toLowerCase();
  const xBytes = Buffer.from(x.padStart(64, "0"), "hex");
  const needles = [
    x,
    BigInt(`0x${x}`).toString(16),
    BigInt(`0x${x}`).toString(10),
    xBytes.toString("base64").replace(/=+$/, ""),
    xBytes.toString("base64url"),
    opened.share.aux.p.toLowerCase().slice(0, 64),
    opened.share.aux.q.toLowerCase().slice(0, 64),
    opened.apiKey,
  ];
  const everything = traffic.map((t) => t.body).join("\n");
  const everythingLower = everything.toLowerCase();
  for (const needle of needles) expect(needle.length > 16 && everythingLower.includes(needle.toLowerCase()), `a browser request or response contains ${needle.slice(0, 12)}…`).toBe(false);
  // The point-to-point messages between the agent (0) and the browser (2) crossed the relay sealed.
  const p2p: { from: number; to: unknown; payload: unknown }[] = [];
  for (const t of dkgTraffic) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t.body);
    } catch {
      continue;
    }
    const found = t.dir === "request" ? ((parsed as { messages?: unknown[] }).messages ?? []) : ((parsed as { messages?: { message: unknown }[] }).messages ?? []).map((m) => m.message);
    for (const m of found as { from: number; to: unknown; payload: unknown }[]) if (m && ((m.from === 0 && m.to === 2) || (m.from === 2 && m.to === 0))) p2p.push(m);
  }
  expect(p2p.length).toBeGreaterThan(0);
  for (const m of p2p) expect(Object.keys(m.payload as object)).toEqual(["e2e"]);
  expect(await page.content()).not.toContain(opened.apiKey);

  // The server holds only ciphertext of the user's share, under the sign-in passkey's PRF.
  const row = await userShareRow(process.env.E2E_DATA_DIR!, signer.id);
  expect(row.encryption).toMatchObject({ scheme: "webauthn-prf", kdf: "hkdf-sha256" });
  const shareCredential = credentialsAfter[0]!;
  const b64url = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  expect(b64url(String(row.encryption.credentialId))).toBe(b64url(shareCredential.credentialId));
  expect(row.ciphertext).toMatch(/^[A-Za-z0-9_-]{100,}$/);
  const stored = JSON.stringify(row) + Buffer.from(row.ciphertext, "base64url").toString("latin1");
  expect(stored).not.toContain(signer.publicKey.slice(2));
  for (const party of opened.share.aux.parties) expect(stored).not.toContain(String((party as { N: unknown }).N).slice(0, 64));
  expect(stored).not.toMatch(/"core"|"secretShare"|"aux"/);

  // 7. Fund from the devnet on the signer's page.
  await page.getByRole("link", { name: `Open ${name}` }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/signers/${signer.id}`);
  await page.getByRole("button", { name: "Fund from devnet" }).click();
  await expect(page.getByTestId("signer-native-balance")).toContainText(/^1 ?ETH$/);

  // 8. Send 0.25 ETH from the browser: passkey PRF unlocks the share, the user party runs in a worker.
  const { networks } = await client.request<{ networks: { chainId: number; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks");
  const chain = publicClientForDevnet(networks.find((n) => n.chainId === 31337)!.rpcUrl);
  const recipient = getAddress(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(20)))}`);
  expect(await chain.getBalance({ address: recipient })).toBe(0n);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Send from ${name}` });
  await dialog.getByLabel("To").fill(recipient);
  await dialog.getByLabel("Amount (ETH)").fill("0.25");
  // The browser shows the transaction the server filled (checked and re-hashed here) before the passkey prompt.
  await dialog.getByRole("button", { name: "Review transaction" }).click();
  await expect(dialog.getByTestId("send-review-to")).toHaveText(recipient);
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expectMinedAndClose(dialog, chain, { from: signer.address, recipient, balance: parseEther("0.25") });
  // The session key the browser signed with was certified by the passkey-derived identity.
  expect(traffic.some((t) => t.dir === "request" && t.path === `/api/v1/signers/${signer.id}/sign/round` && /"identityCertificate":"[0-9a-f]{128}"/.test(t.body))).toBe(true);

  // 9. A guardrail refusal (403 with violations) is shown with each violation; nothing is sent.
  await client.request("create policy", "POST", `/api/v1/signers/${signer.id}/policies`, { type: "spending_limit", config: { maxAmount: parseEther("0.1").toString() } });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByLabel("To").fill(recipient);
  await dialog.getByLabel("Amount (ETH)").fill("0.2");
  await dialog.getByRole("button", { name: "Review transaction" }).click();
  const refused = dialog.getByTestId("send-refused");
  await expect(refused).toContainText("Policy violation");
  await expect(refused).toContainText("spending_limit");
  await expect(refused).toContainText("exceeds spending limit");
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.25"));
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // 10. A rule that asks a human first (202 pending_approval): the dialog waits, an approver approves,
  //    then the browser runs its party and the transaction is mined.
  const activated = await page.request.put(`/api/v1/signers/${signer.id}/policy`, {
    data: {
      version: 1,
      defaultAction: "allow",
      rules: [{ id: "over-0.05", description: "Payments above 0.05 ETH need a human", when: { field: "value", op: "gt", value: parseEther("0.05").toString() }, action: "require_approval" }],
    },
  });
  expect(activated.status(), await activated.text()).toBe(200);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByLabel("To").fill(recipient);
  await dialog.getByLabel("Amount (ETH)").fill("0.08");
  await dialog.getByRole("button", { name: "Review transaction" }).click();
  await expect(dialog.getByTestId("send-status")).toContainText("Waiting for approval");
  await expect(dialog.getByTestId("send-status")).toContainText("Payments above 0.05 ETH need a human");
  const pending = await client.request<{ items: { id: string; signerId: string }[] }>("pending requests", "GET", "/api/v1/signing-requests?status=pending_approval");
  const request = pending.items.find((r) => r.signerId === signer.id)!;
  // A plain transfer at or below the organization's passkey threshold is approved without a passkey
  // (above it, approving needs an assertion bound to the request: e2e/policies.spec.ts does that in the inbox).
  await client.request("threshold", "PATCH", "/api/v1/approvals/settings", { passkeyThresholdWei: parseEther("0.1").toString() });
  await client.request("approve", "POST", `/api/v1/signing-requests/${request.id}/approve`, {});
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expect(dialog.getByTestId("send-status")).toContainText(/Mined in block \d+/, { timeout: 300_000 });
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.33"));
  expect(errors).toEqual([]);
});

test("the one-browser mode is an explicit, audited choice; finished primes survive a reload, sealed under the passkey", async ({ page, context, baseURL }) => {
  test.setTimeout(1_200_000);
  await addVirtualAuthenticator(page, { prf: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Leaving during key generation asks first (beforeunload): accept, as a user reloading would.
  page.on("dialog", (d) => void d.accept());
  const user = uniqueUser("wizard-browser");
  await signUp(page, user);

  // A first visit: the primes start, the passkey (protect step) yields the store key, finished primes
  // are sealed into IndexedDB; then the page reloads in the middle of the key generation.
  await page.goto("/signers/new");
  await page.getByLabel("Name", { exact: true }).fill(`Abandoned ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Protect with my passkey" }).click();
  await expect(page.getByTestId("wizard-generate")).toBeVisible();
  const sealedBefore = page.getByTestId("wizard-primes-custody");
  await expect(sealedBefore).toContainText(/[1-9]\d* sealed in this browser/, { timeout: 600_000 });
  // No prime is ever stored in plaintext: every record is AES-GCM ciphertext under the PRF key.
  const records = await page.evaluate(
    () =>
      new Promise<{ bits: number; ct: string; credentialId: string }[]>((resolve, reject) => {
        const r = indexedDB.open("countersign-prime-store");
        r.onsuccess = () => {
          const req = r.result.transaction("primes").objectStore("primes").getAll();
          req.onsuccess = () => resolve(req.result as { bits: number; ct: string; credentialId: string }[]);
          req.onerror = () => reject(req.error);
        };
        r.onerror = () => reject(r.error);
      }),
  );
  expect(records.length).toBeGreaterThan(0);
  for (const rec of records) {
    expect(rec.bits).toBe(1024);
    expect(rec.ct).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Object.keys(rec)).not.toContain("prime");
  }
  await page.reload();

  // After the reload the wizard offers the sealed primes; unlocking reuses them.
  await expect(page.getByTestId("wizard-stored-primes")).toBeVisible();
  await page.getByRole("button", { name: "Unlock and reuse saved primes" }).click();
  await expect(page.getByTestId("wizard-prime-list")).toContainText("reused from this browser");
  await expect(page.getByTestId("wizard-stored-primes")).toHaveCount(0);

  // The one-browser mode: off by default, an explicit checkbox with an honest explanation.
  const name = `Demo bot ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  const optIn = page.getByLabel("This browser will briefly hold the agent's share too");
  await expect(optIn).not.toBeChecked();
  await expect(page.getByTestId("wizard-browser-mode-hint")).toContainText("recorded in the audit log");
  await optIn.check();
  await expect(page.getByTestId("wizard-primes-status")).toContainText(/of 8/);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Protect with my passkey" }).click();
  await expect(page.getByTestId("wizard-generate")).toContainText("briefly holds the agent's share");
  await expect(page.getByTestId("wizard-invitation")).toHaveCount(0);
  await expect(page.getByTestId("wizard-agent-share")).toBeVisible({ timeout: 900_000 });
  const passphrase = "wizard e2e passphrase 42";
  await page.getByLabel("Share file passphrase", { exact: true }).fill(passphrase);
  await page.getByLabel("Repeat the share file passphrase").fill(passphrase);
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download agent share" }).click();
  const download = await downloadPromise;
  await expect(page.getByTestId("wizard-done")).toBeVisible();

  const client = await SessionClient.fromContext(context, baseURL!);
  const { signers } = await client.request<{ signers: { id: string; name: string; publicKey: string; status: string }[] }>("signers", "GET", "/api/v1/signers");
  const signer = signers.find((s) => s.name === name)!;
  expect(signer.status).toBe("active");
  const opened = await decryptShareFile(readFileSync((await download.path())!, "utf8"), passphrase);
  expect(opened.share.core.index).toBe(0);
  expect(opened.share.core.publicKey).toBe(signer.publicKey);

  // The audit event of the creation records that this browser ran the agent's party.
  const audit = await client.request<{ items: { resourceId: string | null; details: Record<string, unknown> }[] }>("audit", "GET", `/api/v1/audit-log?action=signer.created&signer=${signer.id}`);
  const created = audit.items.find((i) => i.resourceId === signer.id)!;
  expect(created.details).toMatchObject({ agentParty: "browser" });
  expect(errors).toEqual([]);
});

function publicClientForDevnet(rpcUrl: string) {
  return createPublicClient({ transport: http(rpcUrl) });
}
