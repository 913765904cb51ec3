import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/v1/check/route";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

/**
 * Database round trips of POST /api/v1/check (issue #13, performance): every statement the app's pg
 * clients send during a request is counted. With the organization's configuration cached, one check
 * costs the API key lookup and one transaction of five statements: BEGIN, one statement validating
 * the cached configuration's version and locking the statistics rows (an upsert), the trust scores,
 * one statement writing the check row, its trace, its log leaf and the statistics, COMMIT. Before
 * this suite: 10 (the version read and the four writes were separate statements).
 */
useTestDatabase();

async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    seen.push((typeof q === "string" ? q : ((q as { text?: string })?.text ?? String(q))).replace(/\s+/g, " ").trim());
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

// API key lookup, BEGIN, version check + statistics lock, the plan's monthly check counter (one upsert
// per organization), trust read, the one combined write, COMMIT.
const MAX_WARM = 7;
let key: string;
let organizationId: string;
const send = (body: unknown) => call(check, "POST", "/api/v1/check", { headers: { "x-aegis-api-key": key }, body });

beforeAll(async () => {
  const owner = await makeUser();
  organizationId = owner.organizationId;
  key = (await makeApiKey(organizationId, ["gateway:check"])).secret;
});

describe("POST /api/v1/check: database round trips", () => {
  it(`a check with the configuration cached sends at most ${MAX_WARM} statements, and records row, trace, leaf and statistics`, async () => {
    const body = { agent_id: "rt-agent", tool_name: "db_query", arguments: { sql: "SELECT 1" } };
    expect((await send(body)).status).toBe(200);
    let answer: Awaited<ReturnType<typeof send>> | undefined;
    const warm = await statementsDuring(async () => (answer = await send(body)));
    expect(answer!.status).toBe(200);
    expect(warm.length, warm.join("\n")).toBeLessThanOrEqual(MAX_WARM);
    expect(warm.filter((s) => s === "BEGIN")).toHaveLength(1);
    expect(warm.filter((s) => s === "COMMIT")).toHaveLength(1);
    // One statement writes everything the check records.
    const write = warm.filter((s) => /INSERT INTO "gateway_checks"/.test(s));
    expect(write).toHaveLength(1);
    for (const table of ["gateway_traces", "tlog_entries", "gateway_agent_stats"]) expect(write[0]).toContain(`"${table}"`);

    const id = answer!.json.check_id as string;
    expect(await db().gatewayCheck.count({ where: { id, organizationId } })).toBe(1);
    expect(await db().gatewayTrace.count({ where: { checkId: id, source: "check" } })).toBe(1);
    expect(await db().tlogEntry.count({ where: { decisionId: id, kind: "gateway.check" } })).toBe(1);
    const stats = await db().gatewayAgentStats.findMany({ where: { organizationId } });
    expect(stats.map((s) => s.calls)).toEqual([2]);
  });

  it("concurrent checks share a transaction: 8 checks send fewer statements than 8 separate ones", async () => {
    const body = (i: number) => ({ agent_id: `rt-${i % 2}`, tool_name: "search_docs", arguments: { query: `q${i}` } });
    await Promise.all([0, 1].map((i) => send(body(i))));
    let statuses: number[] = [];
    const all = await statementsDuring(async () => (statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => send(body(i))))).map((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    const transactions = all.filter((s) => s === "BEGIN").length;
    expect(transactions).toBeLessThan(8);
    expect(all.length).toBeLessThan(8 * MAX_WARM);
  });
});
