/**
 * SCIM provisioning end to end (issue #18): an owner creates a SCIM token in Settings → Provisioning;
 * the "identity provider" (this spec, over HTTP with that bearer token) creates a user with
 * POST /scim/v2/Users and adds it to a custom group with PATCH /Groups; the owner maps that group to
 * the approver role in the UI. The invitation mail lands in the development outbox of that address;
 * the provisioned person, in a second browser context with its own passkey, registers at the link the
 * mail names, confirms the address, switches to the organization and has the approver's rights (reads
 * approvals, cannot add members nor create agents). Then PATCH active:false ends their session at once.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { addVirtualAuthenticator } from "./helpers/webauthn";

const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SLOW = { timeout: 60_000 };

function idp(request: APIRequestContext, baseUrl: string, token: string) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json", accept: "application/scim+json" };
  return {
    post: (path: string, data: object) => request.post(`${baseUrl}${path}`, { headers, data: JSON.stringify(data) }),
    patch: (path: string, Operations: object[]) => request.patch(`${baseUrl}${path}`, { headers, data: JSON.stringify({ schemas: [PATCH_URN], Operations }) }),
    get: (path: string) => request.get(`${baseUrl}${path}`, { headers }),
  };
}

test("SCIM: token in Settings → Provisioning, provisioned user invited, passkey sign-up with the mapped role, deactivation ends the session", async ({ page, browser, request }) => {
  // The owner.
  await addVirtualAuthenticator(page);
  const owner = uniqueUser("scim-owner");
  await signUp(page, owner);
  const orgName = `${owner.name}'s organization`;

  // 1. Settings → Provisioning: the base URL, and a token shown once.
  await page.goto("/settings/provisioning");
  await expect(page.getByRole("heading", { name: "SCIM provisioning" })).toBeVisible();
  // The base URL to paste into the identity provider (shown once the tokens have loaded).
  await expect(page.getByTestId("scim-base-url")).toHaveText(/^http:\/\/localhost:\d+\/scim\/v2$/);
  const baseUrl = (await page.getByTestId("scim-base-url").textContent())!.trim();
  await page.getByRole("button", { name: "Create SCIM token" }).click();
  const dialog = page.getByRole("dialog", { name: "Copy your SCIM token" });
  await expect(dialog).toBeVisible();
  const token = (await dialog.getByTestId("scim-token-secret").textContent())?.trim() ?? "";
  expect(token).toMatch(/^csm_/);
  await dialog.getByRole("button", { name: "I have stored the key" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "SCIM tokens" }).getByText("Identity provider")).toBeVisible();

  // Nothing but the SCIM token opens /scim/v2.
  expect((await request.get(`${baseUrl}/Users`)).status()).toBe(401);

  // 2. The identity provider creates the user and puts it in a group (Okta's request shapes).
  const scim = idp(request, baseUrl, token);
  const invitee = uniqueUser("scim-member");
  const created = await scim.post("/Users", {
    schemas: [USER_URN],
    userName: invitee.email,
    name: { givenName: "Provisioned", familyName: "Member" },
    displayName: invitee.name,
    emails: [{ primary: true, value: invitee.email, type: "work" }],
    active: true,
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["content-type"]).toContain("application/scim+json");
  const user = (await created.json()) as { id: string; userName: string; active: boolean };
  expect(user.userName).toBe(invitee.email);
  const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${invitee.email}"`)}`);
  expect(((await found.json()) as { totalResults: number }).totalResults).toBe(1);

  const group = await scim.post("/Groups", { schemas: [GROUP_URN], displayName: "Treasury Approvers", members: [] });
  expect(group.status()).toBe(201);
  const groupId = ((await group.json()) as { id: string }).id;
  const added = await scim.patch(`/Groups/${groupId}`, [{ op: "add", path: "members", value: [{ value: user.id, display: invitee.email }] }]);
  expect([200, 204]).toContain(added.status());

  // 3. The owner maps the custom group to a role; the pending invitation follows it.
  await page.goto("/settings/provisioning");
  const groups = page.getByRole("table", { name: "Provisioned groups" });
  await expect(groups.getByText("Treasury Approvers")).toBeVisible();
  await groups.getByLabel("Role for Treasury Approvers").selectOption("approver");
  await expect(groups.getByLabel("Role for Treasury Approvers")).toHaveValue("approver");
  await page.goto("/settings/members");
  const pending = page.getByRole("listitem").filter({ hasText: invitee.email });
  await expect(pending).toBeVisible();
  await expect(pending.getByText("Approver")).toBeVisible();

  // 4. The provisioned person, in their own browser with their own passkey.
  const memberContext = await browser.newContext();
  try {
    const member = await memberContext.newPage();
    const authenticator = await addVirtualAuthenticator(member);
    // Sign-up as e2e/helpers/auth.ts's signUp does, with room for a loaded machine (the first page after it renders the whole dashboard).
    await member.goto("/sign-up");
    await member.getByLabel("Work email").fill(invitee.email);
    await member.getByLabel("Full name").fill(invitee.name);
    await member.getByRole("button", { name: "Create account with passkey" }).click();
    await expect(member.getByRole("heading", { level: 1, name: `Welcome, ${invitee.name}` })).toBeVisible(SLOW);
    expect(await authenticator.credentials()).toHaveLength(1);

    // Their mailbox (the development outbox shows the signed-in address's mail): the invitation, and the address check.
    await member.goto("/dev/outbox");
    const invitation = member.getByRole("listitem").filter({ has: member.getByRole("heading", { name: `You have been added to ${orgName} on Countersign` }) });
    await expect(invitation).toBeVisible(SLOW);
    // Mailed when the identity provider created the user (before its group had a role): it names the organization and where to sign up.
    await expect(invitation).toContainText(`added you to the organization "${orgName}"`);
    await expect(invitation.getByRole("link", { name: /\/sign-up$/ })).toBeVisible();
    const verification = member.getByRole("listitem").filter({ has: member.getByRole("heading", { name: "Verify your email for Countersign" }) });
    await verification.getByRole("link", { name: /\/verify-email\?token=/ }).click();
    await expect(member.getByRole("heading", { name: "Email verified" })).toBeVisible(SLOW);
    await expect(member.getByRole("link", { name: "Go to dashboard" })).toBeVisible();
    await member.goto("/");

    // The organization is theirs now, as approver.
    await member.getByRole("button", { name: /Switch organization/ }).filter({ visible: true }).first().click();
    await member.getByRole("menuitemradio", { name: `${orgName} · Approver` }).click();
    await expect(member.getByRole("button", { name: `Organization: ${orgName}. Switch organization` }).filter({ visible: true }).first()).toBeVisible(SLOW);

    // What an approver sees: the approvals; what an admin can do and they cannot: add members, create agents.
    await member.goto("/approvals");
    await expect(member.getByRole("heading", { level: 1, name: "Approvals" })).toBeVisible(SLOW);
    await member.goto("/settings/members");
    await expect(member.getByText(owner.email)).toBeVisible(SLOW);
    await expect(member.getByRole("button", { name: "Add member" })).toHaveCount(0);
    const meBefore = await member.request.get("/api/v1/auth/me");
    expect(meBefore.status()).toBe(200);
    const sameOrigin = { origin: new URL(baseUrl).origin };
    const denied = await member.request.post("/api/v1/agents", { headers: sameOrigin, data: { name: "not-allowed" } });
    expect(denied.status()).toBe(403);
    // The same request from the owner's browser creates the agent: the refusal is the role's.
    expect((await page.request.post("/api/v1/agents", { headers: sameOrigin, data: { name: "owner-made" } })).status()).toBe(201);

    // 5. The identity provider deactivates the user (Okta's PATCH): the session ends at once.
    const off = await scim.patch(`/Users/${user.id}`, [{ op: "replace", value: { active: false } }]);
    expect(off.status()).toBe(200);
    expect(((await off.json()) as { active: boolean }).active).toBe(false);
    expect((await member.request.get("/api/v1/auth/me")).status()).toBe(401);
    await member.goto("/approvals");
    await expect(member).toHaveURL((url) => url.pathname === "/sign-in", SLOW);

    // The owner sees the membership gone.
    await page.goto("/settings/members");
    await expect(page.getByRole("table", { name: "Members" }).getByText(owner.email)).toBeVisible(SLOW);
    await expect(page.getByText(invitee.email)).toHaveCount(0);
  } finally {
    await memberContext.close();
  }
});
