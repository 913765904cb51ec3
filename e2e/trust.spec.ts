import { expect, test } from "@playwright/test";
import { signUp, uniqueUser } from "./helpers/auth";
import { SessionClient } from "./helpers/signer-setup";
import { addVirtualAuthenticator } from "./helpers/webauthn";

/**
 * Seed 001 next to the dashboard: POST /agents/{sid}/… (app/agents/[id]/…) and the dashboard page
 * /agents/[id] share a path segment; both work in the built app, and the page shows the score.
 */
test("trust scores: register, report and reconfigure over the seed's routes, and the agent page shows the score, its history and its configurations", async ({ page, context, baseURL }) => {
  test.setTimeout(300_000);
  await addVirtualAuthenticator(page);
  await signUp(page, uniqueUser("trust"));
  const client = await SessionClient.fromContext(context, baseURL!);
  const { secret } = await client.request<{ secret: string }>("api key", "POST", "/api/v1/api-keys", { name: "trust e2e", scopes: ["trust:read", "trust:write"] });
  const api = async (method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(new URL(path, baseURL), {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${secret}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  const reg = await api("POST", "/register", { name: "trading-agent", description: "Rebalances a portfolio", modelProvider: "openai", modelName: "gpt-4o", tools: ["data-analysis"] });
  expect(reg.status).toBe(201);
  const sid = reg.json.sid as string;
  expect(sid).toMatch(/^SID-0x[0-9a-f]{16}$/);
  for (let i = 0; i < 3; i++) expect((await api("POST", "/transactions", { sid, transactionType: "task_completion", outcome: "success", reliabilitySignal: 950, qualitySignal: 900 })).status).toBe(200);
  const swap = await api("POST", `/agents/${sid}/config`, { modelProvider: "anthropic", modelName: "claude-sonnet-4-5" });
  expect(swap).toMatchObject({ status: 200, json: { change_detected: true, change_type: "model_swap", message: "Configuration change detected: model_swap. Decay applied." } });
  expect(await api("POST", `/agents/${sid}/verify`, { callbackUrl: "http://example.com/cb" })).toEqual({ status: 400, json: { error: "callbackUrl must use HTTPS" } });
  expect(await api("POST", `/agents/${sid}/verify/confirm`, {})).toEqual({ status: 400, json: { error: "challenge_token is required" } });
  expect(await api("POST", `/agents/${sid}/config`, { modelProvider: "x", modelName: "y" }, false)).toEqual({ status: 401, json: { error: "Missing or invalid Authorization header..." } });
  const pub = await api("GET", `/score/${sid}/public`, undefined, false);
  expect(pub.status).toBe(200);
  const composite = pub.json.composite_score as number;
  expect(composite).toBe(swap.json.updated_scores.composite_score);

  // The same agent in the dashboard: the list, then its page at /agents/<uuid>.
  await page.goto("/agents");
  await page.getByRole("link", { name: "trading-agent" }).click();
  await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "trading-agent" })).toBeVisible();
  const card = page.getByTestId("agent-trust-score");
  await expect(card).toContainText(sid);
  await expect(page.getByTestId("agent-trust-composite")).toHaveText(String(composite));
  await expect(card).toContainText("3 transactions");

  // The score history: one point per event (registration, three transactions, the model swap), the
  // swap marked on the chart, and the configuration history with both configurations.
  const history = page.getByTestId("agent-trust-history");
  const chart = history.locator('figure[data-chart="Trust score after each event"]');
  await expect(chart.locator(".recharts-line").first()).toBeVisible();
  await expect(chart.locator("tbody tr")).toHaveCount(5);
  await expect(chart.locator("tbody tr").last()).toContainText(String(composite));
  await expect(chart.locator(".recharts-reference-line")).toHaveCount(1);
  await expect(chart).toContainText("model_swap");
  await expect(chart.locator("tbody tr").nth(1)).toContainText("success (task_completion)");
  const configs = page.getByTestId("agent-trust-configs");
  await expect(configs.locator("tbody tr")).toHaveCount(2);
  await expect(configs.locator("tbody tr").first()).toContainText("model_swap");
  await expect(configs.locator("tbody tr").first()).toContainText("anthropic/claude-sonnet-4-5");
  await expect(configs.locator("tbody tr").last()).toContainText("initial");
  await expect(configs.locator("tbody tr").last()).toContainText("openai/gpt-4o");
});
