import { z } from "zod";
import { accessOf, allows, PRINCIPAL_COLUMNS } from "@/lib/auth/access-table";
import type { RouteContract } from "./contract";
import { acceptsAegisApiKey, API_FAMILIES, ERROR_SCHEMA_NAMES, ERROR_SCHEMAS, isErrorSchema, type ApiFamily } from "./families";

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

function errorResponse(family: ApiFamily) {
  const media = family === "scim" ? "application/scim+json" : "application/json";
  return { description: `Error (${family} family)`, content: { [media]: { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAMES[family]}` } } } };
}

/** Which credentials a route takes: the session cookie, and API keys in the headers its family reads. */
function securityOf(c: RouteContract): object[] {
  const scopes = c.permission ? [c.permission] : [];
  const security: object[] = [];
  if (c.auth.includes("session")) security.push({ session: [] });
  if (c.auth.includes("apiKey")) {
    security.push({ apiKey: scopes }, { bearer: scopes });
    if (acceptsAegisApiKey(c.family ?? "v1")) security.push({ aegisApiKey: scopes });
  }
  if (c.auth.includes("agentToken")) security.push({ aegisAgentToken: scopes });
  if (c.auth.includes("signedAgent")) security.push({ selfAgentSignature: [] });
  if (c.auth.includes("public")) security.push({});
  return security;
}

/** OpenAPI 3.1 built from the same contracts that validate requests. */
export function buildOpenApi(contracts: RouteContract[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, object>> = {};
  for (const c of contracts) {
    const family = c.family ?? "v1";
    const responses: Record<string, object> = {};
    for (const [status, schema] of Object.entries(c.responses)) {
      // A declared error status documents the family's body; a non-error body (e.g. /health's 503) stays as declared.
      if (isErrorSchema(schema)) responses[status] = errorResponse(family);
      else
        responses[status] = schema
          ? { description: Number(status) < 400 ? "Success" : "Error", content: { [Number(status) < 400 && c.produces ? c.produces : "application/json"]: { schema: schemaOf(schema, "output") } } }
          : { description: "No content" };
    }
    if (c.unconfigured && responses["503"]) responses["503"] = { ...responses["503"], description: `${(responses["503"] as { description: string }).description}; "${c.unconfigured}" while this instance does not configure the service` };
    responses.default = errorResponse(family);
    const op: Record<string, unknown> = {
      operationId: `${c.method.toLowerCase()}${c.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`,
      summary: c.summary,
      tags: c.tags,
      security: securityOf(c),
      "x-api-family": family,
      parameters: paramsOf(c),
      responses,
    };
    if (c.permission) op["x-permission"] = c.permission;
    // Who may call it, from the role × route table (lib/auth/access-table.ts): a principal, or principal:scope.
    const access = accessOf(c.method, c.path);
    if (access) op["x-principals"] = PRINCIPAL_COLUMNS.flatMap((p) => ((v) => (v === false ? [] : [v === true ? p : `${p}:${v}`]))(allows(access, p)));
    if (c.body) op.requestBody = { required: true, content: { "application/json": { schema: schemaOf(c.body, "input") } } };
    else if (c.rawBody) op.requestBody = { required: true, description: c.rawBody.description, content: { "application/json": { schema: { type: "object" } } } };
    (paths[c.path] ??= {})[c.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Countersign API",
      version: info.version,
      description:
        "Threshold wallets, guardrails and human approvals for AI agents. Each operation names its API family (x-api-family), " +
        "which decides its error body (components.schemas) and whether X-AEGIS-API-Key counts: v1 (seed 000), aegis (seed 002), " +
        "error (seeds 001, 003, 004), scim (RFC 7644), hybrid (paths seeds 000 and 002 share).",
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "Dashboard session (passkey or SIWE sign-in)" },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "Organization key (cso_), signer key (css_) or seed 004 agent key (csa_); signer and agent keys only where x-principals names them" },
        bearer: { type: "http", scheme: "bearer", description: "The same keys as Authorization: Bearer <key>" },
        aegisApiKey: { type: "apiKey", in: "header", name: "X-AEGIS-API-Key", description: "Organization key (cso_), seed 002's header: aegis and hybrid operations only" },
        aegisAgentToken: { type: "apiKey", in: "header", name: "X-AEGIS-Agent-Token", description: "Agent token: a short-lived EdDSA JWT for one agent (POST /api/v1/agents/{id}/tokens), keys at /.well-known/jwks.json" },
        selfAgentSignature: { type: "apiKey", in: "header", name: "x-self-agent-signature", description: "Seed 003: a request signed by the agent (x-self-agent-address, -signature, -timestamp, -key, -keytype from SelfAgent.signRequest())" },
      },
      schemas: Object.fromEntries(API_FAMILIES.map((f) => [ERROR_SCHEMA_NAMES[f], schemaOf(ERROR_SCHEMAS[f], "output")])),
    },
    paths,
  };
}
