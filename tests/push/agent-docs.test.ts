import { describe, expect, it } from "vitest";
import { GET as skill } from "@/app/skill.md/route";
import { GET as manifest } from "@/app/skill/manifest.json/route";
import { GET as llms } from "@/app/.well-known/llms.txt/route";
import { allContracts } from "@/lib/api";
import { APPROVAL_ROUTES, approvalContracts } from "@/lib/agent-docs/render";
import { call } from "../helpers/http";
import { seedRoutes } from "./seed";

describe("agent docs: /skill.md, /skill/manifest.json, /.well-known/llms.txt", () => {
  it("the documented route list is seed 004's", () => {
    expect(APPROVAL_ROUTES).toEqual(seedRoutes());
  });

  it("/skill.md documents every seed 004 route this server has a contract for, with schemas from the contracts", async () => {
    const r = await call(skill, "GET", "/skill.md");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(r.text).toMatch(/^---\nname: countersign-human-approval\n/);
    const documented = approvalContracts(allContracts);
    expect(documented.map((c) => `${c.method} ${c.path}`)).toEqual(expect.arrayContaining(["POST /api/devices", "GET /api/devices", "DELETE /api/devices/{id}"]));
    for (const c of documented) {
      expect(r.text, `${c.method} ${c.path}`).toContain(`### ${c.method} ${c.path}\n\n${c.summary}`);
    }
    // The register-device body schema is rendered from the zod contract, additionalProperties included.
    const section = r.text.slice(r.text.indexOf("### POST /api/devices"));
    const start = section.indexOf("Request body (JSON):\n\n```json\n") + "Request body (JSON):\n\n```json\n".length;
    const body = JSON.parse(section.slice(start, section.indexOf("\n```", start))) as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> };
    expect(body.required).toEqual(["subscription"]);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties).sort()).toEqual(["agentAddress", "capabilities", "executionMode", "safeAddress", "subscription"]);
  });

  it("/skill/manifest.json lists the same endpoints with auth and statuses", async () => {
    const r = await call(manifest, "GET", "/skill/manifest.json");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: "countersign-human-approval", skill: "http://localhost:3000/skill.md", openapi: "http://localhost:3000/openapi.json", llms: "http://localhost:3000/.well-known/llms.txt" });
    const documented = approvalContracts(allContracts);
    expect(r.json.endpoints.map((e: { method: string; path: string }) => `${e.method} ${e.path}`)).toEqual(documented.map((c) => `${c.method} ${c.path}`));
    expect(r.json.endpoints.find((e: { path: string; method: string }) => e.path === "/api/devices" && e.method === "POST")).toEqual({
      method: "POST",
      path: "/api/devices",
      summary: "Register a device for push approvals",
      audience: "human",
      auth: ["session"],
      permission: "approvals:read",
      statuses: [201, 400, 409],
    });
  });

  it("/.well-known/llms.txt links the skill, the manifest and OpenAPI and lists the routes", async () => {
    const r = await call(llms, "GET", "/.well-known/llms.txt");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^# Countersign\n\n> /);
    for (const link of ["/skill.md", "/skill/manifest.json", "/openapi.json"]) expect(r.text).toContain(`(http://localhost:3000${link})`);
    for (const c of approvalContracts(allContracts)) expect(r.text).toContain(`- ${c.method} ${c.path}: ${c.summary}`);
  });
});
