import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { GatewayClient, ToolCallBlockedError } from "@/lib/sdk/gateway";
import { POST as check } from "@/app/api/v1/check/route";
import { GET as decision } from "@/app/api/v1/check/[id]/decision/route";
import { PATCH as review } from "@/app/api/v1/check/[id]/route";
import { POST as traces } from "@/app/api/v1/traces/route";
import { POST as createPolicy } from "@/app/api/v1/policies/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;

/** The gateway routes served in-process, as the SDK would reach them over HTTP. */
const gatewayFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const path = new URL(req.url).pathname;
  const m = /^\/api\/v1\/check\/([^/]+)\/decision$/.exec(path);
  const route: Handler | undefined = m ? decision : req.method === "POST" && path === "/api/v1/check" ? check : req.method === "POST" && path === "/api/v1/traces" ? traces : undefined;
  if (!route) return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no route" } }), { status: 404 });
  return route(req, { params: Promise.resolve(m ? { id: decodeURIComponent(m[1]!) } : {}) });
};

let key: string;
let gw: GatewayClient;

beforeAll(async () => {
  const owner = await makeUser();
  key = (await makeApiKey(owner.organizationId, ["gateway:check", "gateway:review", "policies:manage"])).secret;
  await call(createPolicy, "POST", "/api/v1/policies", {
    headers: { "x-aegis-api-key": key },
    body: { id: "big-refunds", name: "Big refunds", risk_level: "HIGH", on_match: "pending", policy_schema: { if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { maximum: 100 } } } } } } },
  });
  gw = new GatewayClient({ baseUrl: "http://localhost:3000", apiKey: key, agentId: "sdk-agent", fetch: gatewayFetch });
});

describe("gateway SDK", () => {
  it("check() returns the verdict; guard() runs allowed tools (and traces them) and throws on block", async () => {
    expect(await gw.check("db_query", { sql: "SELECT 1" })).toMatchObject({ decision: "allow", policy_name: "sql-injection" });
    let ran = 0;
    const query = gw.guard("db_query", async (a: { sql: string }) => {
      ran++;
      return `rows for ${a.sql}`;
    });
    expect(await query({ sql: "SELECT 2" })).toBe("rows for SELECT 2");
    const err = await query({ sql: "1' OR '1'='1' --" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolCallBlockedError);
    expect((err as ToolCallBlockedError).decision).toBe("block");
    expect(ran).toBe(1);
    expect(await db().gatewayTrace.count({ where: { agentRef: "sdk-agent", source: "sdk", status: "ok" } })).toBe(1);
  });

  it("a pending call waits (waitForDecision long-polls) and runs once a human allows it", async () => {
    let pendingId = "";
    const refund = gw.guard("refund", async (a: { amount: number }) => `refunded ${a.amount}`, {
      onPending: (r) => {
        pendingId = r.check_id;
        // a reviewer decides while the SDK is waiting
        setTimeout(() => void call(review, "PATCH", `/api/v1/check/${r.check_id}`, { headers: { "x-aegis-api-key": key }, params: { id: r.check_id }, body: { decision: "allow", decided_by: "alice@acme.com" } }), 200);
      },
    });
    expect(await refund({ amount: 500 })).toBe("refunded 500");
    expect((await gw.decision(pendingId)).decided_by).toBe("alice@acme.com");
    // waitForDecision returns a still-pending answer at its timeout
    const p = await gw.check("refund", { amount: 600 });
    expect((await gw.waitForDecision(p.check_id, { timeoutMs: 300 })).decision).toBe("pending");
  });
});
