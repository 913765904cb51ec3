import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { createPublicClient, http, parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { encodePayload } from "../lib/push/policy";
import { signUp, uniqueUser } from "./helpers/auth";
import { fundFromDevAccount, SessionClient } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * The phone flow in real Chromium against `npm start`: an agent drafts a two-action Safe transaction
 * and submits it; the real service worker (public/sw.js) receives the push through CDP
 * (ServiceWorker.deliverPushMessage — pushManager.subscribe cannot reach a push service here), shows
 * the notification with Accept/Reject; Accept from the notification is refused (401: above the
 * organization's passkey threshold) so the approval page is where the human decides; there they
 * accept with the virtual authenticator's passkey and the Safe transaction executes on the devnet.
 */
test("push → notification → approval page → passkey accept → executed", async ({ page, context, baseURL }) => {
  const origin = baseURL!;
  const { user, session, agentCall, pendingRequest } = await setup(page, context, origin, "push");
  const sw = await serviceWorker(page, context, origin);

  // Two ETH transfers (MultiSend), signed by the agent over the safeTxHash, submitted for approval.
  const alice = privateKeyToAccount(generatePrivateKey()).address;
  const bob = privateKeyToAccount(generatePrivateKey()).address;
  const req = await pendingRequest([
    { to: alice, wei: parseEther("0.25") },
    { to: bob, wei: parseEther("0.5") },
  ]);

  // The push the server sends for this notification (same payload encoder as lib/push) reaches the
  // real service worker, which shows it with Accept and Reject.
  await sw.push(req);
  const url = `/approvals/${encodeURIComponent(req.notificationId)}`;
  expect(await sw.shown(`approval-${req.notificationId}`)).toEqual([
    { title: "Approval needed", body: req.message, requireInteraction: true, actions: ["accept", "reject"], data: { url, notificationId: req.notificationId, requestId: req.requestId } },
  ]);

  // Accept from the notification: the value is above the organization's passkey threshold, so the
  // server refuses (401) and the service worker sends the human to the approval page instead.
  expect(await sw.click(`approval-${req.notificationId}`, "accept")).toEqual({ recorded: false, status: 401 });
  expect((await session.request<{ response: string | null }>("notification", "GET", `/api/notifications/${encodeURIComponent(req.notificationId)}`)).response).toBeNull();

  // The approval page (phone width): clear-signed summary, both actions, the Safe transaction.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await expect(page.getByTestId("approval-summary")).toHaveText(req.message);
  await expect(page.getByTestId("approval-action")).toHaveCount(2);
  await expect(page.getByTestId("safe-tx-hash")).toHaveText(req.safeTxHash);
  await expect(page.getByTestId("request-status")).toHaveText("Waiting for a human");

  const rpc = (await session.request<{ networks: { chainId: number; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks")).networks.find((n) => n.chainId === 31337)!.rpcUrl;
  const chain = createPublicClient({ transport: http(rpc) });
  expect(await chain.getBalance({ address: alice })).toBe(0n);

  // Accept with the passkey (virtual authenticator): the Safe transaction executes.
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Executed", { timeout: 60_000 });
  await expect(page.getByTestId("approval-decision")).toContainText(`Accepted by ${user.name}`);
  await expect(page.getByTestId("approval-decision")).toContainText("from the approval page");
  await expect(page.getByTestId("approval-decision")).toContainText("confirmed with a passkey");

  const final = await agentCall("GET", `/api/requests/${encodeURIComponent(req.requestId)}`);
  expect(final.json).toMatchObject({ requestId: req.requestId, status: "executed", txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  expect(await chain.getBalance({ address: alice })).toBe(parseEther("0.25"));
  expect(await chain.getBalance({ address: bob })).toBe(parseEther("0.5"));
  expect(await session.request("notification", "GET", `/api/notifications/${encodeURIComponent(req.notificationId)}`)).toMatchObject({ response: "accepted", responseSource: "app_ui" });
});

/** Signs up, pairs a funded safe-mode agent, and returns helpers to create pending requests. */
async function setup(page: Page, context: BrowserContext, origin: string, label: string) {
  await context.grantPermissions(["notifications"], { origin });
  await addVirtualAuthenticator(page);
  const user = uniqueUser(label);
  await signUp(page, user);
  const session = await SessionClient.fromContext(context, origin);
  const agent = privateKeyToAccount(generatePrivateKey());
  const paired = await session.request<{ agent: { safeAddress: `0x${string}` }; token: string }>("pair agent", "POST", "/api/v1/approvals/agents", { mode: "safe", agentAddress: agent.address, chainId: 31337 });
  await fundFromDevAccount(session, 31337, paired.agent.safeAddress, "2");
  const agentCall = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const res = await fetch(new URL(path, origin), { method, headers: { authorization: `Bearer ${paired.token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  /** Draft (ETH transfers) → the agent signs the safeTxHash → request; the notification the server created for it. */
  async function pendingRequest(transfers: { to: `0x${string}`; wei: bigint }[]) {
    const draft = await agentCall("POST", "/api/drafts", { signer: agent.address, intent: { actions: transfers.map((t) => ({ chainId: 31337, to: t.to, data: "0x", value: t.wei.toString() })) } });
    expect(draft.status).toBe(200);
    const safeTxHash = draft.json.safeTransaction.safeTxHash as Hex;
    const submitted = await agentCall("POST", "/api/requests", { draftId: draft.json.draftId, signer: agent.address, signature: await agent.sign({ hash: safeTxHash }) });
    expect(submitted.status).toBe(202);
    const requestId = submitted.json.requestId as string;
    const n = (await session.request<{ id: string; requestId: string | null; message: string }[]>("notifications", "GET", "/api/notifications")).find((x) => x.requestId === requestId);
    expect(n).toBeDefined();
    return { requestId, notificationId: n!.id, message: n!.message, safeTxHash };
  }
  return { user, session, agentCall, pendingRequest };
}

/** Waits for the service worker and returns a function that runs its notification-click logic on the shown notification with `tag`. */
async function serviceWorker(page: Page, context: BrowserContext, origin: string) {
  await page.goto("/settings/devices");
  await expect(page.getByRole("heading", { name: "This device" })).toBeVisible();
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${origin}/sw.js`);
  const cdp = await context.newCDPSession(page);
  const registrations = new Map<string, string>();
  const events: string[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
    for (const r of e.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
  });
  let running = false;
  cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
    for (const v of e.versions) {
      events.push(`version ${v.versionId} ${v.status} ${v.runningStatus}`);
      if (v.status === "activated") running = v.runningStatus === "running";
    }
  });
  cdp.on("ServiceWorker.workerErrorReported", (e) => events.push(`error ${e.errorMessage.errorMessage}`));
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrations.get(`${origin}/`)).toBeTruthy();
  const [worker] = context.serviceWorkers();
  return {
    async push(p: { notificationId: string; requestId: string; message: string }) {
      const data = encodePayload({ title: "Approval needed", body: p.message, url: `/approvals/${p.notificationId}`, notificationId: p.notificationId, requestId: p.requestId, tag: `approval-${p.notificationId}`, actions: true, requireInteraction: true });
      const tag = `approval-${p.notificationId}`;
      const shown = () => page.evaluate(async (tag) => (await (await navigator.serviceWorker.ready).getNotifications({ tag })).length, tag);
      // CDP hands the message to the worker without an acknowledgement, and one delivered while the
      // worker is starting or stopping can be dropped (seen once in CI); a push service redelivers in
      // the same way, so try up to three deliveries before calling it a failure.
      for (let attempt = 1; ; attempt++) {
        // Deliver to a running worker (an idle one may be stopping right now).
        if (!running) await cdp.send("ServiceWorker.startWorker", { scopeURL: `${origin}/` });
        await expect.poll(() => running, { message: `service worker running (events: ${events.join("; ")})` }).toBe(true);
        await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: registrations.get(`${origin}/`)!, data });
        try {
          await expect.poll(shown, { timeout: attempt < 3 ? 5_000 : 15_000, message: `notification shown after ${attempt} deliveries (service worker events: ${events.join("; ")})` }).toBe(1);
          return;
        } catch (e) {
          if (attempt >= 3) throw e;
          events.push(`delivery ${attempt} not shown`);
        }
      }
    },
    /** The notifications the service worker shows with this tag. */
    shown(tag: string) {
      return page.evaluate(async (tag) => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications({ tag })).map((n) => ({ title: n.title, body: n.body, requireInteraction: n.requireInteraction, actions: (n as unknown as { actions: { action: string }[] }).actions.map((a) => a.action), data: n.data as unknown }));
      }, tag);
    },
    click(tag: string, action: string) {
      return worker!.evaluate(
        async ({ tag, action }) => {
          const sw = self as unknown as { registration: ServiceWorkerRegistration; countersign: { handleNotificationClick(data: unknown, action: string): Promise<{ recorded: boolean; status: number | null }> } };
          const [n] = await sw.registration.getNotifications({ tag });
          const r = await sw.countersign.handleNotificationClick(n!.data, action);
          return { recorded: r.recorded, status: r.status };
        },
        { tag, action },
      );
    },
  };
}

test("notification buttons: Reject is recorded from the service worker; Accept below the passkey threshold executes without the page", async ({ page, context, baseURL }) => {
  const origin = baseURL!;
  const { session, agentCall, pendingRequest } = await setup(page, context, origin, "swaction");
  const sw = await serviceWorker(page, context, origin);
  const carol = privateKeyToAccount(generatePrivateKey()).address;

  // Reject never needs a passkey.
  const rejected = await pendingRequest([{ to: carol, wei: parseEther("0.1") }]);
  await sw.push(rejected);
  expect(await sw.click(`approval-${rejected.notificationId}`, "reject")).toEqual({ recorded: true, status: 200 });
  expect(await session.request("notification", "GET", `/api/notifications/${rejected.notificationId}`)).toMatchObject({ response: "rejected", responseSource: "sw_action", responseRawAction: "reject", responseInterpretedAction: "rejected" });
  expect((await agentCall("GET", `/api/requests/${rejected.requestId}`)).json.status).toBe("rejected_by_human");
  // The answered notification is replaced by a confirmation without buttons.
  expect((await sw.shown(`approval-${rejected.notificationId}`)).map((n) => n.title)).toEqual(["Rejected"]);

  // Below the organization's threshold the notification's Accept is enough.
  const patched = await page.request.patch("/api/v1/approvals/settings", { data: { passkeyThresholdWei: parseEther("1").toString() }, headers: { origin } });
  expect(patched.status()).toBe(200);
  const small = await pendingRequest([{ to: carol, wei: parseEther("0.2") }]);
  await sw.push(small);
  expect(await sw.click(`approval-${small.notificationId}`, "accept")).toEqual({ recorded: true, status: 200 });
  await expect.poll(async () => (await agentCall("GET", `/api/requests/${small.requestId}`)).json.status, { timeout: 60_000 }).toBe("executed");
  expect(await session.request("notification", "GET", `/api/notifications/${small.notificationId}`)).toMatchObject({ response: "accepted", responseSource: "sw_action", responseRawAction: "accept" });

  // The approval page shows who decided and from where.
  await page.goto(`/approvals/${small.notificationId}`);
  await expect(page.getByTestId("request-status")).toHaveText("Executed");
  await expect(page.getByTestId("approval-decision")).toContainText("from the notification button");
  await expect(page.getByRole("button", { name: "Accept" })).toHaveCount(0);
});

test("devices page: a clear error when the browser cannot subscribe; list, test notification and remove", async ({ page, context, baseURL }) => {
  const origin = baseURL!;
  await context.grantPermissions(["notifications"], { origin });
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("devices"));
  await page.goto("/settings/devices");
  await expect(page.getByText("No devices yet")).toBeVisible();

  // No push service is reachable from this machine: pushManager.subscribe fails and the page says why.
  await page.getByTestId("add-device").click();
  await expect(page.getByRole("alert").filter({ hasText: "This device could not be added" })).toContainText("push service");

  // A device registered through the API (its endpoint refuses connections) shows up in the list.
  const session = await SessionClient.fromContext(context, origin);
  const { createECDH, randomBytes } = await import("node:crypto");
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  await session.request("register device", "POST", "/api/devices", { subscription: { endpoint: "https://127.0.0.1:9/push/e2e", expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") } } });
  await page.reload();
  await expect(page.getByTestId("device-row")).toHaveCount(1);
  await expect(page.getByTestId("device-row")).toContainText("127.0.0.1");

  // The test notification cannot be delivered: the page reports it (and the worker will retry).
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Test notification not delivered")).toBeVisible();

  await page.getByRole("button", { name: /^Remove/ }).click();
  await page.getByRole("button", { name: "Remove device" }).click();
  await expect(page.getByText("No devices yet")).toBeVisible();
  expect(await session.request("devices", "GET", "/api/devices")).toEqual([]);
});

test("approvals inbox: a pending agent request is listed, opens its approval page, and shows as decided afterwards", async ({ page, context, baseURL }) => {
  const origin = baseURL!;
  const { user, pendingRequest } = await setup(page, context, origin, "inbox");
  const dave = privateKeyToAccount(generatePrivateKey()).address;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "Nothing waiting" })).toBeVisible();

  // Live: a request submitted while the inbox is open appears without a reload.
  const req = await pendingRequest([{ to: dave, wei: parseEther("0.3") }]);
  const row = page.getByRole("list", { name: "Requests waiting for approval" }).getByTestId(`approval-ntf-${req.notificationId}`);
  await expect(row).toContainText(req.message);
  await expect(row).toContainText("Waiting for approval");
  await expect(row).toContainText("0.3 ETH");

  await row.getByRole("link", { name: req.message, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/approvals/${req.notificationId}$`));
  await expect(page.getByTestId("approval-summary")).toHaveText(req.message);
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Rejected");
  await expect(page.getByTestId("approval-decision")).toContainText(`Rejected by ${user.name}`);

  await page.goto("/approvals");
  const decided = page.getByRole("list", { name: "Decided requests" }).getByTestId(`approval-ntf-${req.notificationId}`);
  await expect(decided).toContainText("Rejected");
  await expect(decided).toContainText(`by ${user.name} from the approval page`);
  await expect(page.getByRole("heading", { name: "Nothing waiting" })).toBeVisible();
});
