import { expect, test } from "@playwright/test";
import { p256 } from "@noble/curves/nist.js";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { TurnkeyClient } from "@turnkey/http";
import { createPublicClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signUp, uniqueUser } from "./helpers/auth";
import { fundFromDevAccount, SessionClient } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * Seed 004's Turnkey mode in real Chromium against `npm start` with the Turnkey development stand-in
 * (TURNKEY_DEV_SERVER=on, playwright.config.ts): the agent starts a setup session with its own P-256
 * API key; the member opens setupUrl and creates the wallet; the agent drafts a transfer, signs it
 * through Turnkey (CONSENSUS_NEEDED) and submits the activity; the member accepts on the approval
 * page with a passkey; the provider's approval completes the activity and the transfer executes.
 */
test("setupUrl → wallet → draft → Turnkey CONSENSUS_NEEDED → approval page → executed", async ({ page, context, baseURL }) => {
  const origin = baseURL!;
  const turnkeyUrl = `http://127.0.0.1:${process.env.E2E_TURNKEY_PORT ?? "3219"}`;
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("turnkey"));
  const session = await SessionClient.fromContext(context, origin);
  const { secret } = await session.request<{ secret: string }>("api key", "POST", "/api/v1/api-keys", { name: "turnkey agent", scopes: ["signers:manage", "approvals:read"] });
  const agentCall = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const res = await fetch(new URL(path, origin), { method, headers: { "x-api-key": secret, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  // The agent's own Turnkey API key.
  const sk = p256.utils.randomSecretKey();
  const agentKey = { apiPrivateKey: Buffer.from(sk).toString("hex"), apiPublicKey: Buffer.from(p256.getPublicKey(sk, true)).toString("hex") };
  const started = await agentCall("POST", "/api/turnkey/hfa/setup-sessions", { agentPublicKey: agentKey.apiPublicKey, agentLabel: "e2e agent" });
  expect(started.status, JSON.stringify(started.json)).toBe(200);
  expect(started.json.status).toBe("pending");

  // The member opens setupUrl and creates the wallet.
  await page.goto(started.json.setupUrl);
  await expect(page.getByTestId("setup-status")).toHaveText("pending");
  await page.getByRole("button", { name: "Create the Turnkey wallet" }).click();
  await expect(page.getByTestId("setup-status")).toHaveText("completed", { timeout: 60_000 });
  const read = await agentCall("GET", `/api/turnkey/hfa/setup-sessions/${started.json.setupSessionId}`);
  expect(read.json).toMatchObject({ status: "completed", walletAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
  await expect(page.getByTestId("wallet-address")).toHaveText(read.json.walletAddress);
  await fundFromDevAccount(session, 31337, read.json.walletAddress, "2");

  // Draft → the agent signs via Turnkey → CONSENSUS_NEEDED → request.
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  const draft = await agentCall("POST", "/api/turnkey/drafts", { walletAddress: read.json.walletAddress, intent: { actions: [{ chainId: 31337, to: recipient, data: "0x", value: parseEther("0.3").toString() }] } });
  expect(draft.status, JSON.stringify(draft.json)).toBe(200);
  const { activity } = await new TurnkeyClient({ baseUrl: turnkeyUrl }, new ApiKeyStamper(agentKey)).signTransaction({
    type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    timestampMs: String(Date.now()),
    organizationId: read.json.subOrganizationId,
    parameters: { signWith: read.json.walletAddress, unsignedTransaction: draft.json.turnkeyTransaction.unsignedTransaction.slice(2), type: "TRANSACTION_TYPE_ETHEREUM" },
  });
  expect(activity.status).toBe("ACTIVITY_STATUS_CONSENSUS_NEEDED");
  const submitted = await agentCall("POST", "/api/turnkey/requests", { draftId: draft.json.draftId, activityId: activity.id, fingerprint: activity.fingerprint });
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(202);
  const requestId = submitted.json.requestId as string;
  const n = (await session.request<{ id: string; requestId: string | null }[]>("notifications", "GET", "/api/notifications")).find((x) => x.requestId === requestId)!;
  expect(n).toBeDefined();

  // The approval page: the clear-signed line, the Turnkey card; accept with the passkey.
  await page.goto(`/approvals/${encodeURIComponent(n.id)}`);
  await expect(page.getByTestId("approval-summary")).toHaveText(draft.json.clearSigning.aggregatedDescription);
  await expect(page.getByTestId("turnkey-status")).toHaveText("Waiting for a human");
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Executed", { timeout: 60_000 });
  await expect(page.getByTestId("turnkey-status")).toHaveText("Executed");

  const final = await agentCall("GET", `/api/turnkey/requests/${requestId}`);
  expect(final.json).toMatchObject({ status: "executed", txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  const rpc = (await session.request<{ networks: { chainId: number; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks")).networks.find((x) => x.chainId === 31337)!.rpcUrl;
  expect(await createPublicClient({ transport: http(rpc) }).getBalance({ address: recipient })).toBe(parseEther("0.3"));
});
