import { describe, expect, it } from "vitest";
import { GET as list, POST as create } from "@/app/api/v1/signers/[id]/policies/route";
import { PATCH as patch, DELETE as remove } from "@/app/api/v1/policies/[id]/route";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
const VALID: Record<string, object> = {
  spending_limit: { maxAmount: "1000000000000000000" },
  daily_limit: { maxAmount: "250000000", token: { address: USDC, decimals: 6, symbol: "USDC" } },
  monthly_limit: { maxAmount: "40000000000000000000", timeZone: "Europe/Berlin" },
  allowed_contracts: { addresses: [USDC] },
  allowed_functions: { selectors: ["transfer(address,uint256)", "0x095ea7b3"] },
  blocked_addresses: { addresses: ["0x000000000000000000000000000000000000dEaD"] },
  rate_limit: { maxRequests: 10, windowSeconds: 3600 },
  time_window: { timeZone: "America/New_York", hours: { startHour: 9, endHour: 17 }, weekdays: ["mon", "tue", "wed", "thu", "fri"] },
};

async function signerFor(organizationId: string) {
  return db().signer.create({ data: { organizationId, name: "s", chainId: 31337, status: "active" } });
}

describe("built-in policies (seed 000)", () => {
  it("creates all eight types, lists them, updates with a version bump, deletes — each in the audit trail", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const ids: string[] = [];
    for (const [type, config] of Object.entries(VALID)) {
      const r = await call(create, "POST", "/x", { cookie: owner.cookie, params: { id: s.id }, body: { type, config } });
      expect(r.status, type).toBe(201);
      expect(r.json.policy).toMatchObject({ type, version: 1, enabled: true, signerId: s.id });
      ids.push(r.json.policy.id);
    }
    expect((await call(list, "GET", "/x", { cookie: owner.cookie, params: { id: s.id } })).json.policies.map((p: { type: string }) => p.type)).toEqual(Object.keys(VALID));
    const up = await call(patch, "PATCH", "/x", { cookie: owner.cookie, params: { id: ids[0]! }, body: { config: { maxAmount: "2000000000000000000" } } });
    expect(up.json.policy).toMatchObject({ version: 2, config: { maxAmount: "2000000000000000000" } });
    const off = await call(patch, "PATCH", "/x", { cookie: owner.cookie, params: { id: ids[0]! }, body: { enabled: false } });
    expect(off.json.policy).toMatchObject({ version: 3, enabled: false });
    expect((await call(remove, "DELETE", "/x", { cookie: owner.cookie, params: { id: ids[1]! } })).status).toBe(204);
    expect((await call(list, "GET", "/x", { cookie: owner.cookie, params: { id: s.id } })).json.policies).toHaveLength(7);
    const actions = (await db().auditEvent.findMany({ where: { organizationId: owner.organizationId, resourceType: "policy" }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions.filter((a) => a === "policy.created")).toHaveLength(8);
    expect(actions.slice(-3)).toEqual(["policy.updated", "policy.updated", "policy.deleted"]);
  });

  it("rejects invalid configs with a 400 naming the field", async () => {
    const owner = await makeUser();
    const s = await signerFor(owner.organizationId);
    const bad = async (type: string, config: object) => (await call(create, "POST", "/x", { cookie: owner.cookie, params: { id: s.id }, body: { type, config } })).json;
    const amount = await bad("spending_limit", { maxAmount: "-5" });
    expect(amount.statusCode).toBe(400);
    expect(amount.violations[0]).toMatchObject({ type: "spending_limit", field: "body.config.maxAmount" });
    expect((await bad("allowed_functions", { selectors: ["transfer(address,uint256)", "nope("] })).violations[0].field).toBe("body.config.selectors[1]");
    expect((await bad("time_window", { timeZone: "Mars/Olympus" })).violations.map((v: { field: string }) => v.field)).toContain("body.config.timeZone");
    expect((await bad("rate_limit", { maxRequests: 0, windowSeconds: 60, extra: 1 })).violations.length).toBeGreaterThanOrEqual(2);
    const unknownType = await call(create, "POST", "/x", { cookie: owner.cookie, params: { id: s.id }, body: { type: "vibes_check", config: {} } });
    expect(unknownType.status).toBe(400);
    expect(unknownType.json.violations[0].field).toBe("body.type");
    expect(await db().policy.count({ where: { signerId: s.id } })).toBe(0);
  });

  it("is scoped: another organization sees 404, a viewer cannot change, an API key needs the scope", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const s = await signerFor(b.organizationId);
    const created = await call(create, "POST", "/x", { cookie: b.cookie, params: { id: s.id }, body: { type: "rate_limit", config: VALID.rate_limit } });
    expect((await call(list, "GET", "/x", { cookie: a.cookie, params: { id: s.id } })).status).toBe(404);
    expect((await call(patch, "PATCH", "/x", { cookie: a.cookie, params: { id: created.json.policy.id }, body: { enabled: false } })).status).toBe(404);
    expect((await call(remove, "DELETE", "/x", { cookie: a.cookie, params: { id: created.json.policy.id } })).status).toBe(404);
    const viewer = await makeUser({ organizationId: b.organizationId, role: "viewer" });
    expect((await call(list, "GET", "/x", { cookie: viewer.cookie, params: { id: s.id } })).status).toBe(200);
    expect((await call(patch, "PATCH", "/x", { cookie: viewer.cookie, params: { id: created.json.policy.id }, body: { enabled: false } })).status).toBe(403);
    const readKey = await makeApiKey(b.organizationId, ["policies:read"]);
    expect((await call(list, "GET", "/x", { apiKey: readKey.secret, params: { id: s.id } })).status).toBe(200);
    expect((await call(create, "POST", "/x", { apiKey: readKey.secret, params: { id: s.id }, body: { type: "rate_limit", config: VALID.rate_limit } })).status).toBe(403);
  });
});
