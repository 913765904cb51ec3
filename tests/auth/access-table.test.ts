/**
 * The role × route table (lib/auth/access-table.ts) is complete and is the truth: every operation of
 * /openapi.json has exactly one row, each contract's declared authentication and permission say the
 * same as its row, and README shows the current rendering.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allContracts } from "@/lib/api";
import { ACCESS_TABLE, accessKey, allows, spliceAccessTable, type Access } from "@/lib/auth/access-table";
import type { RouteContract } from "@/lib/http/contract";
import { buildOpenApi } from "@/lib/http/openapi";

/** What the contract declares, in the table's terms (machine credentials are the table's own word). */
function disagreements(c: RouteContract, a: Access): string[] {
  const out: string[] = [];
  const has = (m: string) => (c.auth as readonly string[]).includes(m);
  const perm = c.permission ?? "any";
  // An instance admin is a session the handler's authentication checks further (lib/http/authenticate.ts).
  if (a.instanceAdmin && a.session !== undefined) out.push("instanceAdmin and a session permission both");
  if (has("session") !== (a.session !== undefined || a.instanceAdmin === true)) out.push(`session: contract ${has("session")}, table ${a.session}`);
  if (a.session !== undefined && a.session !== perm) out.push(`session permission: contract ${perm}, table ${a.session}`);
  const keys = a.orgKey !== undefined || a.signerKey === true || a.agentKey === true || a.scim === true;
  if (has("apiKey") !== keys) out.push(`apiKey: contract ${has("apiKey")}, table names ${keys ? "some" : "no"} key`);
  if (a.orgKey !== undefined && a.orgKey !== perm) out.push(`orgKey scope: contract ${perm}, table ${a.orgKey}`);
  // A signer key carries `sign`, a seed 004 agent key `approvals:read`: the permission must be one they hold.
  if (a.signerKey && !["any", "sign"].includes(perm)) out.push(`signerKey on a ${perm} operation`);
  if (a.agentKey && !["any", "approvals:read"].includes(perm)) out.push(`agentKey on a ${perm} operation`);
  if (has("agentToken") !== (a.agentToken !== undefined)) out.push(`agentToken: contract ${has("agentToken")}, table ${a.agentToken}`);
  if (a.agentToken !== undefined && a.agentToken !== perm) out.push(`agentToken scope: contract ${perm}, table ${a.agentToken}`);
  if (has("signedAgent") !== (a.signedAgent === true)) out.push(`signedAgent: contract ${has("signedAgent")}, table ${a.signedAgent}`);
  // A ceremony token is the handler's own check on a route the contract leaves public.
  if (has("public") !== (a.anonymous === true || a.ceremonyToken === true)) out.push(`public: contract ${has("public")}, table ${a.anonymous ?? a.ceremonyToken}`);
  if (a.ceremonyToken && a.anonymous) out.push("ceremonyToken and anonymous both");
  if (a.scim && c.family !== "scim") out.push("scim token on a non-SCIM operation");
  return out;
}

describe("access table", () => {
  it("has one row per operation, and none for an operation that does not exist", () => {
    const ops = allContracts.map((c) => accessKey(c.method, c.path));
    expect(new Set(ops).size).toBe(ops.length);
    expect(ops.filter((k) => !Object.hasOwn(ACCESS_TABLE, k)), "operations without a row in lib/auth/access-table.ts").toEqual([]);
    expect(Object.keys(ACCESS_TABLE).filter((k) => !ops.includes(k)), "rows naming no operation").toEqual([]);
  });

  it("agrees with every contract's auth and permission", () => {
    const problems = allContracts.flatMap((c) => disagreements(c, ACCESS_TABLE[accessKey(c.method, c.path)] ?? {}).map((p) => `${c.method} ${c.path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("the checker itself notices a disagreement", () => {
    const c = allContracts.find((x) => x.method === "GET" && x.path === "/api/v1/approvals/settings")!;
    expect(disagreements(c, ACCESS_TABLE["GET /api/v1/approvals/settings"]!)).toEqual([]);
    expect(disagreements(c, { orgKey: "approvals:read", anonymous: true })).toEqual([expect.stringMatching(/^session:/), expect.stringMatching(/^public:/)]);
    expect(disagreements(c, { session: "approvals:decide", orgKey: "approvals:read", signerKey: true })).toEqual([expect.stringMatching(/^session permission/), expect.stringMatching(/^signerKey on/)]);
  });

  it("confines machine principals to what concerns themselves (issue #12)", () => {
    const who = (col: "signerKey" | "agentKey" | "agentToken") => Object.entries(ACCESS_TABLE).filter(([, a]) => !a.anonymous && allows(a, col) !== false).map(([k]) => k).sort();
    expect(who("signerKey")).toEqual([
      "GET /api/v1/networks",
      "GET /api/v1/sign/session/{id}",
      "GET /api/v1/signer",
      "GET /api/v1/signer/balance",
      "POST /api/v1/sign-message/complete",
      "POST /api/v1/sign-message/session",
      "POST /api/v1/sign/complete",
      "POST /api/v1/sign/round",
      "POST /api/v1/sign/session",
    ]);
    expect(who("agentKey")).toEqual(["GET /api/pairing-info", "GET /api/requests", "GET /api/requests/{id}", "POST /api/drafts", "POST /api/requests"]);
    // its own agent record, and seed 002's gateway as its own agent (never a review), also over MCP;
    // its own tool allow-list (read by the MCP proxy)
    expect(who("agentToken")).toEqual(["GET /api/v1/agents/{id}", "GET /api/v1/check/{id}/decision", "GET /api/v1/gateway/agents/{id}/tools", "GET /api/v1/traces", "POST /api/v1/check", "POST /api/v1/traces", "POST /mcp"]);
  });

  it("only owners and admins manage members, keys and policies; approvers decide; viewers only read", () => {
    for (const [k, a] of Object.entries(ACCESS_TABLE)) {
      if (a.session === "members:manage" || a.session === "api_keys:manage" || a.session === "policies:manage") {
        expect([allows(a, "owner"), allows(a, "admin"), allows(a, "approver"), allows(a, "viewer")], k).toEqual([true, true, false, false]);
      }
      if (a.session === "approvals:decide") expect([allows(a, "approver"), allows(a, "viewer")], k).toEqual([true, false]);
      if (!a.anonymous && allows(a, "viewer") === true && k.split(" ")[0] !== "GET") expect(a.session === "any" || a.session?.endsWith(":read"), `${k}: a viewer may write`).toBe(true);
    }
  });

  it("GET /openapi.json names each operation's principals from the table (x-principals)", () => {
    const doc = buildOpenApi(allContracts, { version: "t" }) as { paths: Record<string, Record<string, { "x-principals"?: string[] }>> };
    expect(doc.paths["/api/v1/approvals/settings"]!.get!["x-principals"]).toEqual(["owner", "admin", "approver", "viewer", "orgKey:approvals:read"]);
    expect(doc.paths["/api/requests"]!.post!["x-principals"]).toEqual(["agentKey"]);
    // Instance-wide: an instance admin only, no organization role (issue #15's applications review).
    expect(doc.paths["/api/v1/admin/applications"]!.get!["x-principals"]).toEqual(["instanceAdmin"]);
    expect(doc.paths["/api/v1/agents/{id}"]!.get!["x-principals"]).toEqual(["owner", "admin", "approver", "viewer", "orgKey:agents:read", "agentToken:agents:read"]);
    for (const [p, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) expect(op["x-principals"]?.length, `${m} ${p}`).toBeGreaterThan(0);
  });

  it("README shows the current table (npx tsx tools/gen-access-table.ts)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(spliceAccessTable(readme) === readme, "README.md's access table is stale: run npx tsx tools/gen-access-table.ts").toBe(true);
  });
});
