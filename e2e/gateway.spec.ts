import { expect, test } from "@playwright/test";
import { GatewayClient } from "../lib/sdk/gateway";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

test("gateway: a pending tool call shows in the approvals inbox, is allowed in the dashboard, and the waiting SDK call runs", async ({ page, context, baseURL }) => {
  test.setTimeout(300_000);
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("gateway"));
  const client = await SessionClient.fromContext(context, baseURL!);
  const { secret } = await client.request<{ secret: string }>("api key", "POST", "/api/v1/api-keys", { name: "gateway e2e", scopes: ["gateway:check", "policies:manage", "policies:read"] });

  // A tool policy: refunds over 100 wait for a human.
  const created = await fetch(new URL("/api/v1/policies", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json", "x-aegis-api-key": secret },
    body: JSON.stringify({ id: "refund-cap", name: "Refunds up to 100", risk_level: "HIGH", on_match: "pending", policy_schema: { if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { maximum: 100 } } } } } } }),
  });
  expect(created.status).toBe(201);

  // The agent's SDK guards its refund tool; the call waits for a human.
  const gw = new GatewayClient({ baseUrl: baseURL!, apiKey: secret, agentId: "support-bot" });
  let checkId = "";
  const refund = gw.guard("refund", async (a: { amount: number; order: string }) => `refunded ${a.amount} on ${a.order}`, { onPending: (r) => (checkId = r.check_id), waitMs: 120_000 });
  const result = refund({ amount: 250, order: "A-1001" });
  await expect.poll(() => checkId).not.toBe("");

  await page.goto("/approvals");
  const item = page.getByTestId("inbox-tool-calls").getByTestId(`pending-${checkId}`);
  await expect(item).toContainText("refund");
  await expect(item).toContainText("support-bot");
  await expect(item).toContainText("would be allowed if arguments.amount is <= 100");

  await page.goto("/gateway");
  await expect(page.getByTestId("gateway-counters")).toBeVisible();
  await expect(page.getByTestId("count-pending")).toHaveText("1");
  await page.getByTestId(`allow-${checkId}`).click();
  await expect(page.getByTestId(`pending-${checkId}`)).toHaveCount(0);
  await expect(page.getByTestId(`check-row-${checkId}`).getByTestId("decision-badge")).toHaveText("allow");

  expect(await result).toBe("refunded 250 on A-1001");
  const d = await gw.decision(checkId);
  expect(d.decision).toBe("allow");
  expect(d.decided_by).toMatch(/@/);

  // The agent's page: its latest tool calls, a link to the gateway filtered by it, and its allowed tools.
  const agents = await client.request<{ items: { id: string; identifiers: { aegisAgentId: string | null } }[] }>("agents", "GET", "/api/v1/agents?limit=100");
  const agentId = agents.items.find((a) => a.identifiers.aegisAgentId === "support-bot")!.id;
  await page.goto(`/agents/${agentId}`);
  const toolCalls = page.getByTestId("agent-tool-calls");
  await expect(toolCalls.getByTestId(`agent-tool-call-${checkId}`)).toContainText("refund");
  await expect(toolCalls.getByTestId(`agent-tool-call-${checkId}`)).toContainText("allow");
  await expect(toolCalls.getByTestId("agent-allow-list")).toHaveText("Every tool (no allow-list).");
  await toolCalls.getByTestId("edit-allow-list").click();
  await toolCalls.getByTestId("allow-list-restrict").check();
  await toolCalls.getByTestId("allow-list-text").fill("refund\nsearch_*");
  await toolCalls.getByTestId("save-allow-list").click();
  await expect(toolCalls.getByTestId("agent-allow-list")).toContainText("search_*");
  const outside = await gw.check("db_query", { sql: "SELECT 1" });
  expect(outside).toMatchObject({ decision: "block", policy_name: "tool-allow-list" });
  const search = await gw.check("search_kb", { q: "refunds" });
  expect(search.decision).toBe("allow");
  await page.reload();
  await expect(toolCalls.getByTestId(`agent-tool-call-${outside.check_id}`)).toContainText("block");
  await toolCalls.getByTestId("agent-gateway-link").click();
  await expect(page).toHaveURL(/\/gateway\?agent=support-bot$/);
  await expect(page.getByLabel("Filter by agent")).toHaveValue("support-bot");
  await expect(page.getByTestId(`check-row-${outside.check_id}`)).toBeVisible();

  // The JSON Schema editor validates as you type.
  await page.goto("/gateway");
  const schema = page.getByTestId("policy-schema");
  await schema.fill('{"type": "nonsense"}');
  await expect(page.getByTestId("schema-status")).toContainText("Not a valid JSON Schema");
  await expect(page.getByTestId("create-policy")).toBeDisabled();
  // Backtest a draft over the recorded calls: it would have blocked the search.
  await schema.fill('{"properties": {"tool_name": {"not": {"const": "search_kb"}}}}');
  await expect(page.getByTestId("schema-status")).toHaveText("Valid JSON Schema (draft 2020-12)");
  await page.getByTestId("backtest-policy").click();
  await expect(page.getByTestId("backtest-summary")).toContainText("the draft matches 1");
  await expect(page.getByTestId(`backtest-item-${search.check_id}`)).toContainText("search_kb");
  await schema.fill('{"properties": {"arguments": {"maxProperties": 5}}}');
  await expect(page.getByTestId("schema-status")).toHaveText("Valid JSON Schema (draft 2020-12)");
  await page.getByTestId("policy-id").fill("few-args");
  await page.getByTestId("create-policy").click();
  await expect(page.getByTestId("policy-few-args")).toBeVisible();
});
