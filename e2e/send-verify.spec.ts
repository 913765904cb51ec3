/**
 * Issue 10, "the browser signs only what it computed", in Chromium against `npm start`:
 * (a) a signer sends from the browser: the dialog shows the transaction the server filled (checked and
 *     re-hashed in the browser) before the passkey prompt, then the user's party signs and it is mined;
 *     a token transfer is clear-signed with the ERC-7730 engine in the browser;
 * (b) when the server's session response is altered on the way (a route handler of this test rewrites
 *     its messageHash, its transaction, or its sid), the dialog refuses with a clear error before any
 *     passkey prompt, and no signing round is posted.
 * One signer: key generation runs in Node (fixture primes); its user share is sealed under the sign-in
 * passkey's PRF (evaluated in this browser) exactly as the wizard stores it.
 */
import { expect, test, type Page, type Route } from "@playwright/test";
import { createPublicClient, encodeFunctionData, erc20Abi, getAddress, http, keccak256, parseEther, toHex } from "viem";
import { bytesToHex } from "@noble/hashes/utils.js";
import { encodeKeyShare } from "../lib/mpc";
import { signingHash } from "../lib/chain/tx-codec";
import { txFromJson, type TxJson } from "../lib/signing/transaction-json";
import { encryptUserShare, fromBase64Url, randomSalt, toBase64Url } from "../lib/signing/user-share-crypto";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient, createSignerViaDkg, deployTestToken, fundFromDevAccount } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";
import { payrollDescriptor } from "../tests/fixtures/payroll-descriptor";
import { expectMinedAndClose } from "./helpers/send";

/** Counts WebAuthn assertions the page asks for (each is a passkey prompt). */
async function countPasskeyPrompts(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __passkeyPrompts: number };
    w.__passkeyPrompts = 0;
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      w.__passkeyPrompts++;
      return get(options);
    };
  });
  return () => page.evaluate(() => (window as unknown as { __passkeyPrompts: number }).__passkeyPrompts);
}

/** The sign-in passkey's PRF output on `salt`, evaluated in the page (the virtual authenticator answers). */
async function prfInPage(page: Page, salt: Uint8Array): Promise<{ credentialId: string; prfOutput: Uint8Array }> {
  const r = await page.evaluate(async (saltBytes) => {
    const cred = (await navigator.credentials.get({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        userVerification: "required",
        allowCredentials: [],
        extensions: { prf: { eval: { first: new Uint8Array(saltBytes) } } } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential;
    const first = (cred.getClientExtensionResults() as { prf?: { results?: { first?: ArrayBuffer } } }).prf?.results?.first;
    return { rawId: Array.from(new Uint8Array(cred.rawId)), prf: first ? Array.from(new Uint8Array(first)) : null };
  }, Array.from(salt));
  if (!r.prf) throw new Error("the virtual authenticator returned no PRF output");
  return { credentialId: toBase64Url(Uint8Array.from(r.rawId)), prfOutput: Uint8Array.from(r.prf) };
}

/** Rewrites the JSON of the next User+Server session responses. */
async function tamperSessions(page: Page, tamper: (body: Record<string, unknown>) => Record<string, unknown>) {
  const handler = async (route: Route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: tamper(body) });
  };
  await page.route("**/api/v1/signers/*/sign/session", handler);
  return () => page.unroute("**/api/v1/signers/*/sign/session", handler);
}

test("send from the browser: reviewed, re-hashed and mined; a tampered session is refused before the passkey prompt", async ({ page, context, baseURL }) => {
  test.setTimeout(600_000);
  await addVirtualAuthenticator(page, { prf: true });
  const passkeyPrompts = await countPasskeyPrompts(page);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Every signing round the browser (its worker included) posts.
  const rounds: string[] = [];
  context.on("request", (r) => {
    if (r.method() === "POST" && /\/api\/v1\/signers\/[^/]+\/sign\/round$/.test(new URL(r.url()).pathname)) rounds.push(r.url());
  });

  await signUp(page, uniqueUser("send-verify"));
  const client = await SessionClient.fromContext(context, baseURL!);
  const name = `Verify bot ${Date.now().toString(36)}`;
  const signer = await createSignerViaDkg(client, name);

  // The user share, sealed under the sign-in passkey's PRF like the wizard does.
  const salt = randomSalt();
  const prf = await prfInPage(page, salt);
  const record = await encryptUserShare({ signerId: signer.id, profile: "fast-test", share: encodeKeyShare(signer.userShare), material: { scheme: "webauthn-prf", ...prf }, salt });
  expect(fromBase64Url(record.encryption.salt)).toEqual(salt);
  await client.request("store user share", "POST", `/api/v1/signers/${signer.id}/user-share`, record);
  await fundFromDevAccount(client, signer.chainId, signer.address, "1");
  const token = await deployTestToken(client, signer.chainId, signer.address, "1000");
  const { networks } = await client.request<{ networks: { chainId: number; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks");
  const chain = createPublicClient({ transport: http(networks.find((n) => n.chainId === signer.chainId)!.rpcUrl) });

  await page.goto(`/signers/${signer.id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const dialog = page.getByRole("dialog", { name: `Send from ${name}` });
  const recipient = getAddress(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(20)))}`);
  const openSend = async (to: string, amount: string, data = "") => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Send", exact: true }).click();
    await dialog.getByLabel("To").fill(to);
    await dialog.getByLabel("Amount (ETH)").fill(amount);
    await dialog.getByLabel("Data (optional)").fill(data);
    await dialog.getByRole("button", { name: "Review transaction" }).click();
  };

  // (a) Review: the server filled nonce, gas and fees; the browser shows what it checked and the digest it computed.
  const promptsBefore = await passkeyPrompts();
  await openSend(recipient, "0.25");
  const review = dialog.getByTestId("send-review");
  await expect(review).toBeVisible();
  await expect(review.getByTestId("send-review-to")).toHaveText(recipient);
  await expect(review.getByTestId("send-review-value")).toHaveText("0.25 ETH");
  await expect(review.getByTestId("send-review-data")).toHaveText("None (plain transfer)");
  await expect(review.getByTestId("send-review-nonce")).toHaveText("0");
  await expect(review.getByTestId("send-review-digest")).toHaveText(/^0x[0-9a-f]{64}$/);
  await expect(review).toContainText("Max fee");
  expect(await passkeyPrompts()).toBe(promptsBefore);
  expect(rounds).toEqual([]);
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expectMinedAndClose(dialog, chain, { from: signer.address, recipient, balance: parseEther("0.25") });
  expect(await passkeyPrompts()).toBe(promptsBefore + 1);
  expect(rounds.length).toBeGreaterThan(0);

  // A token transfer is clear-signed in the browser (the built-in ERC-20 descriptor, token data from the chain).
  const transfer = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [recipient, parseEther("5")] });
  await openSend(token, "", transfer);
  await expect(dialog.getByTestId("send-clear-signing")).toBeVisible();
  await expect(dialog.getByTestId("send-clear-intent")).toContainText("Send 5 TUSD to");
  await expect(dialog.getByTestId("send-clear-signing")).toContainText(recipient);
  await expect(dialog.getByTestId("send-review-to")).toHaveText(getAddress(token));
  await expect(dialog.getByTestId("send-clear-signing")).toContainText("built-in");
  await dialog.getByRole("button", { name: "Edit" }).click();

  // The organization's own descriptor for this token (the clear-signing overlay) wins over the built-in one.
  await client.request("add descriptor", "POST", "/api/v1/clearsign/descriptors", { descriptor: payrollDescriptor(signer.chainId, token) });

  await dialog.getByRole("button", { name: "Review transaction" }).click();
  await expect(dialog.getByTestId("send-clear-intent")).toContainText("Pay salary of 5 TUSD to");
  await expect(dialog.getByTestId("send-clear-signing")).toContainText("organization's");
  await dialog.getByRole("button", { name: "Edit" }).click();

  // (b) The server hands a different digest, a different transaction (with its matching digest), or a
  //     sid that does not derive from the nonces: refused before any passkey prompt; no round is posted.
  const roundsBefore = rounds.length;
  const promptsAtRefusal = await passkeyPrompts();
  const cases: [string, (b: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
    ["digest", (b) => ({ ...b, messageHash: keccak256(toHex("pay the attacker")) }), /digest does not match the transaction/],
    [
      "transaction",
      (b) => {
        const forged = { ...(b.transaction as TxJson), to: "0x000000000000000000000000000000000000dead", value: parseEther("0.9").toString() };
        return { ...b, transaction: forged, messageHash: signingHash(txFromJson(forged)) };
      },
      /transaction differs from the one requested/,
    ],
    ["sid", (b) => ({ ...b, sid: "ab".repeat(32) }), /session id does not derive/],
  ];
  for (const [what, tamper, message] of cases) {
    const restore = await tamperSessions(page, tamper);
    await openSend(recipient, "0.01");
    const refused = dialog.getByTestId("send-tampered");
    await expect(refused, what).toBeVisible();
    await expect(refused).toContainText("Refused to sign");
    await expect(refused).toContainText(message);
    await expect(refused).toContainText("nothing was signed");
    await expect(dialog.getByTestId("send-review")).toHaveCount(0);
    await expect(dialog.getByRole("button", { name: "Sign and send" })).toHaveCount(0);
    await restore();
  }
  expect(await passkeyPrompts()).toBe(promptsAtRefusal);
  expect(rounds.length).toBe(roundsBefore);
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.25"));

  // A session a guardrail parks for approval: the dialog shows the (checked) transaction while it waits,
  // checks the approved session again, and the passkey is asked only once the user signs it.
  const activated = await page.request.put(`/api/v1/signers/${signer.id}/policy`, {
    data: { version: 1, defaultAction: "allow", rules: [{ id: "over-0.05", description: "Payments above 0.05 ETH need a human", when: { field: "value", op: "gt", value: parseEther("0.05").toString() }, action: "require_approval" }] },
  });
  expect(activated.status(), await activated.text()).toBe(200);
  await openSend(recipient, "0.08");
  await expect(dialog.getByTestId("send-status")).toContainText("Waiting for approval");
  await expect(dialog.getByTestId("send-review")).toContainText("Transaction waiting for approval");
  await expect(dialog.getByTestId("send-review-value")).toHaveText("0.08 ETH");
  const pending = await client.request<{ items: { id: string; signerId: string }[] }>("pending requests", "GET", "/api/v1/signing-requests?status=pending_approval");
  const parked = pending.items.find((r) => r.signerId === signer.id)!;
  await client.request("threshold", "PATCH", "/api/v1/approvals/settings", { passkeyThresholdWei: parseEther("0.1").toString() });
  await client.request("approve", "POST", `/api/v1/signing-requests/${parked.id}/approve`, {});
  await expect(dialog.getByTestId("send-review")).toContainText("Review the transaction you are about to sign");
  expect(await passkeyPrompts()).toBe(promptsAtRefusal);
  await dialog.getByRole("button", { name: "Sign and send" }).click();
  await expect(dialog.getByTestId("send-status")).toContainText(/Mined in block \d+/, { timeout: 300_000 });
  expect(await passkeyPrompts()).toBe(promptsAtRefusal + 1);
  expect(await chain.getBalance({ address: recipient })).toBe(parseEther("0.33"));
  expect(errors).toEqual([]);
});
