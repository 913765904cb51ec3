/**
 * The whole human path in Chromium against `npm start` (fast-test MPC profile): passkey sign-up with a
 * PRF-capable virtual authenticator → the create-signer wizard runs DKG in browser Web Workers and
 * encrypts the user share under a passkey PRF key → the agent share file downloads once and opens in
 * Node with lib/sdk/share-file.ts → fund from the devnet → send from the browser (User+Server) →
 * mined, and the recipient's balance changed on the devnet. The server's user_shares row is read
 * straight from the embedded database: ciphertext only.
 */
import { expect, test } from "@playwright/test";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import pg from "pg";
import { createPublicClient, getAddress, http, parseEther, type Address, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { decryptShareFile } from "../lib/sdk/share-file";
import { signUp, uniqueUser } from "./helpers/auth";
import { addVirtualAuthenticator } from "./helpers/webauthn";
import { SessionClient } from "./helpers/signer-setup";

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

function addressOf(compressed: string): Address {
  return getAddress(publicKeyToAddress(`0x${bytesToHex(secp256k1.Point.fromHex(compressed).toBytes(false))}`));
}

test("create a signer in the wizard (DKG in browser workers), download the agent share, fund, send from the browser", async ({ page, context, baseURL }) => {
  // Browser key generation is CPU-bound (eight safe primes in JS workers); generous bounds keep a busy machine from failing it.
  test.setTimeout(1_800_000);
  const authenticator = await addVirtualAuthenticator(page, { prf: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const user = uniqueUser("wizard");
  await signUp(page, user);

  await page.goto("/signers");
  await page.getByRole("link", { name: "New signer" }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/signers/new");

  // 1. Name and network (the local devnet is the default).
  const name = `Wizard bot ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Network")).toHaveValue("31337");
  await page.getByRole("button", { name: "Continue" }).click();

  // 2. Protect the user share with the sign-in passkey: it was registered with the PRF extension, so
  //    it derives the key that seals the share (no second passkey is created).
  const credentialsBefore = await authenticator.credentials();
  expect(credentialsBefore.length).toBe(1);
  await page.getByRole("button", { name: "Protect with my passkey" }).click();

  // 3. Key generation in Web Workers, with progress through primes, keygen and aux rounds.
  await expect(page.getByTestId("wizard-generate")).toBeVisible();
  await expect(page.getByTestId("wizard-progress")).toContainText(/safe primes|Key generation|Auxiliary/);
  const seen = new Set<string>();
  const progress = page.getByTestId("wizard-progress");
  const shareStep = page.getByTestId("wizard-agent-share");
  await expect(async () => {
    if (await progress.isVisible()) seen.add(((await progress.textContent()) ?? "").split(":")[0]!);
    expect(await shareStep.isVisible()).toBe(true);
  }).toPass({ timeout: 1_200_000, intervals: [250] });
  expect(seen.has("Generating safe primes") || seen.has("Key generation") || seen.has("Auxiliary info (Paillier and ring-Pedersen proofs)")).toBe(true);
  await expect(page.getByTestId("wizard-no-prf")).toHaveCount(0);
  const credentialsAfter = await authenticator.credentials();
  expect(credentialsAfter.length).toBe(1);

  // 4. API key shown once; the agent's share downloads once as an encrypted share file.
  const apiKey = ((await page.getByTestId("wizard-api-key").textContent()) ?? "").trim();
  expect(apiKey).toMatch(/^css_/);
  const passphrase = "wizard e2e passphrase 42";
  await page.getByLabel("Share file passphrase", { exact: true }).fill(passphrase);
  await page.getByLabel("Repeat the share file passphrase").fill(passphrase);
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download agent share" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^countersign-share-wizard-bot-[a-z0-9-]+\.json$/);
  const fileText = readFileSync((await download.path())!, "utf8");
  await expect(page.getByTestId("wizard-done")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download agent share" })).toHaveCount(0);
  expect(await page.content()).not.toContain(apiKey);

  const client = await SessionClient.fromContext(context, baseURL!);
  const { signers } = await client.request<{ signers: { id: string; name: string; address: string; publicKey: string; status: string; chainId: number }[] }>("signers", "GET", "/api/v1/signers");
  const signer = signers.find((s) => s.name === name)!;
  expect(signer.status).toBe("active");
  const opened = await decryptShareFile(fileText, passphrase);
  expect(opened.signerId).toBe(signer.id);
  expect(opened.apiKey).toBe(apiKey);
  expect(opened.profile).toBe("fast-test");
  expect(opened.share.core.index).toBe(0);
  expect(opened.share.core.publicKey).toBe(signer.publicKey);
  expect(addressOf(opened.share.core.publicKey)).toBe(getAddress(signer.address));
  expect(getAddress(opened.address)).toBe(getAddress(signer.address));

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

  // 5. Fund from the devnet on the signer's page.
  await page.getByRole("link", { name: `Open ${name}` }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/signers/${signer.id}`);
  await page.getByRole("button", { name: "Fund from devnet" }).click();
  await expect(page.getByTestId("signer-native-balance")).toContainText(/^1 ?ETH$/);

  // 6. Send 0.25 ETH from the browser: passkey PRF unlocks the share, the user party runs in a worker.
  const { networks } = await client.request<{ networks: { chainId: number; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks");
  const chain = publicClientForDevnet(networks.find((n) => n.chainId === 31337)!.rpcUrl);
  const recipient = getAddress(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(20)))}`);
  expect(await chain.getBalance({ address: recipient })).toBe(0n);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Send from ${name}` });
  await dialog.getByLabel("To").fill(recipient);
  await dialog.getByLabel("Amount (ETH)").fill("0.25");
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expect(dialog.getByTestId("send-status")).toContainText(/Mined in block \d+/, { timeout: 300_000 });
  const txHash = ((await dialog.getByTestId("send-tx-hash").textContent()) ?? "").trim() as Hex;
  const receipt = await chain.getTransactionReceipt({ hash: txHash });
  expect(receipt.status).toBe("success");
  expect(getAddress(receipt.from)).toBe(getAddress(signer.address));
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.25"));
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(dialog).toBeHidden();

  // 7. A guardrail refusal (403 with violations) is shown with each violation; nothing is sent.
  await client.request("create policy", "POST", `/api/v1/signers/${signer.id}/policies`, { type: "spending_limit", config: { maxAmount: parseEther("0.1").toString() } });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByLabel("To").fill(recipient);
  await dialog.getByLabel("Amount (ETH)").fill("0.2");
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  const refused = dialog.getByTestId("send-refused");
  await expect(refused).toContainText("Policy violation");
  await expect(refused).toContainText("spending_limit");
  await expect(refused).toContainText("exceeds spending limit");
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.25"));
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // 8. A rule that asks a human first (202 pending_approval): the dialog waits, an approver approves,
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
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expect(dialog.getByTestId("send-status")).toContainText("Waiting for approval");
  await expect(dialog.getByTestId("send-status")).toContainText("Payments above 0.05 ETH need a human");
  const pending = await client.request<{ items: { id: string; signerId: string }[] }>("pending requests", "GET", "/api/v1/signing-requests?status=pending_approval");
  const request = pending.items.find((r) => r.signerId === signer.id)!;
  // A plain transfer at or below the organization's passkey threshold is approved without a passkey
  // (above it, approving needs an assertion bound to the request: e2e/policies.spec.ts does that in the inbox).
  await client.request("threshold", "PATCH", "/api/v1/approvals/settings", { passkeyThresholdWei: parseEther("0.1").toString() });
  await client.request("approve", "POST", `/api/v1/signing-requests/${request.id}/approve`, {});
  await expect(dialog.getByTestId("send-status")).toContainText(/Mined in block \d+/, { timeout: 300_000 });
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.33"));
  expect(errors).toEqual([]);
});

function publicClientForDevnet(rpcUrl: string) {
  return createPublicClient({ transport: http(rpcUrl) });
}
