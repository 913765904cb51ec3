import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as openapi } from "@/app/openapi.json/route";
import { allContracts } from "@/lib/api";
import { call } from "../helpers/http";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return name === "route.ts" ? [p] : [];
  });
}

/** app/api/v1/members/[userId]/route.ts → /api/v1/members/{userId} */
function urlPathOf(file: string): string {
  const rel = path.relative("app", path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
  return "/" + rel.map((s) => s.replace(/^\[\.\.\.(.+)\]$/, "{$1}").replace(/^\[(.+)\]$/, "{$1}")).join("/");
}

describe("GET /openapi.json", () => {
  it("describes every route handler in app/ (next-auth's own /api/auth excepted)", async () => {
    const declared = new Set(allContracts.map((c) => `${c.method} ${c.path}`));
    const missing: string[] = [];
    for (const file of routeFiles("app")) {
      // Seed 001's /agents/{sid}/… handlers sit in app/agents/[id]/ (one slug name per level: the dashboard's /agents/[id]).
      const url = urlPathOf(file).replace(/^\/agents\/\{id\}\//, "/agents/{sid}/");
      if (url.startsWith("/api/auth/")) continue;
      if (url === "/api/{...path}" || url === "/{...path}") continue; // the JSON 404 catch-alls, declared as /api/{path}, /api/v1/{path}, /{path}
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) {
        if (!declared.has(`${m[1]} ${url}`)) missing.push(`${m[1]} ${url}`);
      }
      expect(src, `${file} must wrap its handlers with handle(contract, …)`).toMatch(/handle\(/);
    }
    expect(missing).toEqual([]);
  });

  it("is valid OpenAPI 3.1 with schemas for bodies and responses", async () => {
    const r = await call(openapi, "GET", "/openapi.json");
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe("3.1.0");
    const reg = r.json.paths["/api/v1/auth/register"].post;
    expect(reg.requestBody.content["application/json"].schema.required).toEqual(["email", "name"]);
    expect(reg.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(reg.responses["409"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/V1Error" });
    expect(r.json.components.schemas.V1Error.properties.statusCode).toBeDefined();
    const audit = r.json.paths["/api/v1/audit-log"].get;
    expect(audit.security).toEqual([{ session: [] }, { apiKey: ["audit:read"] }, { bearer: ["audit:read"] }, { aegisApiKey: ["audit:read"] }]);
    expect(audit.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["action", "cursor", "from", "limit", "q", "resource_type", "signer", "to"]);
    expect(Object.keys(r.json.paths["/api/v1/audit-log/export"].get.responses["200"].content)).toEqual(["text/csv"]);
    expect(r.json.paths["/api/v1/members/{userId}"].patch.parameters[0]).toMatchObject({ name: "userId", in: "path", required: true });
  });

  it("documents each family's error body and the credentials each family reads", async () => {
    const doc = (await call(openapi, "GET", "/openapi.json")).json;
    expect(Object.keys(doc.components.schemas).sort()).toEqual(["AegisError", "HybridError", "ScimError", "StringError", "V1Error"]);
    expect(doc.components.schemas.AegisError.properties.error.required).toEqual(["code", "message"]);
    expect(doc.components.schemas.ScimError.required).toEqual(expect.arrayContaining(["schemas", "status", "detail"]));
    expect(doc.components.schemas.StringError.properties.error.type).toBe("string");
    expect(doc.components.schemas.HybridError.required).toEqual(expect.arrayContaining(["statusCode", "message", "error"]));
    expect(doc.components.securitySchemes.aegisApiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-AEGIS-API-Key" });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });

    const submit = doc.paths["/api/requests"].post;
    expect(submit["x-api-family"]).toBe("error");
    expect(submit.responses["409"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StringError" });
    expect(submit.responses.default.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StringError" });
    expect(submit.security).toEqual([{ apiKey: [] }, { bearer: [] }]); // no X-AEGIS-API-Key outside aegis/hybrid
    const patchPolicy = doc.paths["/api/v1/policies/{id}"].patch;
    expect(patchPolicy["x-api-family"]).toBe("hybrid");
    expect(patchPolicy.responses["404"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/HybridError" });
    expect(doc.paths["/api/v1/signers"].get["x-api-family"]).toBe("v1");
    // A non-error body on an error status stays as declared.
    expect(doc.paths["/health"].get.responses["503"].content["application/json"].schema.properties.checks).toBeDefined();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { "x-api-family"?: string }>>)) {
      for (const [m, op] of Object.entries(ops)) expect(op["x-api-family"], `${m} ${p}`).toMatch(/^(v1|aegis|error|scim|hybrid)$/);
    }
  });

  it("names the 503 of a service this instance may not configure, only where the route declares a 503", async () => {
    const doc = (await call(openapi, "GET", "/openapi.json")).json;
    const declaring = allContracts.filter((c) => c.unconfigured);
    expect(declaring.length).toBeGreaterThan(20);
    for (const c of declaring) {
      expect(Object.keys(c.responses), `${c.method} ${c.path}`).toContain("503");
      expect(doc.paths[c.path][c.method.toLowerCase()].responses["503"].description).toContain(`"${c.unconfigured}"`);
    }
    expect(doc.paths["/api/agent/register"].post.responses["503"].description).toContain('"Service not configured"');
    expect(doc.paths["/api/turnkey/hfa/setup-sessions"].post.responses["503"].description).toContain('"Turnkey is not configured"');
    expect(doc.paths["/api/v1/signers"].get.responses["503"]).toBeUndefined();
  });
});
