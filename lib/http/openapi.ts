import { z } from "zod";
import type { RouteContract } from "./contract";

function schemaOf(s: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" });
}

function paramsOf(c: RouteContract) {
  const out: object[] = [];
  for (const [where, schema] of [["path", c.params], ["query", c.query]] as const) {
    if (!schema) continue;
    const js = schemaOf(schema, "input") as { properties?: Record<string, object>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

/** OpenAPI 3.1 built from the same contracts that validate requests. */
export function buildOpenApi(contracts: RouteContract[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, object>> = {};
  for (const c of contracts) {
    const security: object[] = [];
    if (c.auth.includes("session")) security.push({ session: [] });
    if (c.auth.includes("apiKey")) security.push({ apiKey: c.permission ? [c.permission] : [] });
    if (c.auth.includes("public")) security.push({});
    const responses: Record<string, object> = {};
    for (const [status, schema] of Object.entries(c.responses)) {
      responses[status] = schema
        ? { description: Number(status) < 400 ? "Success" : "Error", content: { [Number(status) < 400 && c.produces ? c.produces : "application/json"]: { schema: schemaOf(schema, "output") } } }
        : { description: "No content" };
    }
    const op: Record<string, unknown> = {
      operationId: `${c.method.toLowerCase()}${c.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`,
      summary: c.summary,
      tags: c.tags,
      security,
      parameters: paramsOf(c),
      responses,
    };
    if (c.permission) op["x-permission"] = c.permission;
    if (c.body) op.requestBody = { required: true, content: { "application/json": { schema: schemaOf(c.body, "input") } } };
    (paths[c.path] ??= {})[c.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "Countersign API", version: info.version, description: "Threshold wallets, guardrails and human approvals for AI agents." },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "Dashboard session (passkey or SIWE sign-in)" },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "Organization or signer API key" },
      },
    },
    paths,
  };
}
