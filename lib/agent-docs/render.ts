import { z } from "zod";
import type { RouteContract } from "@/lib/http/contract";

/**
 * The agent-facing documents (GET /skill.md, /skill/manifest.json, /.well-known/llms.txt), rendered
 * from the same route contracts that validate requests and build /openapi.json, so they cannot
 * drift from the API. Pure: the route handlers pass in the contracts and the public origin.
 */

/** seed 004's human-approval routes, Turnkey's included (lib/turnkey), in the seed's order. */
export const APPROVAL_ROUTES: readonly { method: string; path: string }[] = [
  { method: "GET", path: "/api/pairing-info" },
  { method: "POST", path: "/api/devices" },
  { method: "GET", path: "/api/devices" },
  { method: "DELETE", path: "/api/devices/{id}" },
  { method: "GET", path: "/api/notifications" },
  { method: "GET", path: "/api/notifications/{id}" },
  { method: "POST", path: "/api/drafts" },
  { method: "POST", path: "/api/requests" },
  { method: "GET", path: "/api/requests" },
  { method: "GET", path: "/api/requests/{id}" },
  { method: "POST", path: "/api/responses" },
  { method: "POST", path: "/api/turnkey/hfa/setup-sessions" },
  { method: "GET", path: "/api/turnkey/hfa/setup-sessions/{id}" },
  { method: "POST", path: "/api/turnkey/drafts" },
  { method: "POST", path: "/api/turnkey/requests" },
  { method: "GET", path: "/api/turnkey/requests/{id}" },
];

const HUMAN_PATHS = ["/api/devices", "/api/notifications", "/api/responses"];

export function approvalContracts(all: RouteContract[]): RouteContract[] {
  return APPROVAL_ROUTES.flatMap((r) => all.filter((c) => c.method === r.method && c.path === r.path));
}

export function audienceOf(c: RouteContract): "agent" | "human" {
  return HUMAN_PATHS.some((p) => c.path === p || c.path.startsWith(`${p}/`)) ? "human" : "agent";
}

function authText(c: RouteContract): string {
  const parts: string[] = [];
  if (c.auth.includes("apiKey")) parts.push(`agent credential in \`Authorization: Bearer <key>\` (or \`x-api-key\`)${c.permission ? ` with the \`${c.permission}\` scope` : ""}`);
  if (c.auth.includes("session")) parts.push("the human's dashboard session (cookie); not for agents");
  if (c.auth.includes("public")) parts.push("none");
  return parts.join(", or ");
}

const jsonSchema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" });

function block(value: unknown): string {
  return "```json\n" + JSON.stringify(value, null, 2) + "\n```";
}

function routeSection(c: RouteContract): string {
  const out = [`### ${c.method} ${c.path}`, "", c.summary, "", `- Audience: ${audienceOf(c)}`, `- Authentication: ${authText(c)}`];
  const statuses = Object.keys(c.responses).join(", ");
  out.push(`- Statuses: ${statuses}`, "");
  if (c.params) out.push("Path parameters:", "", block(jsonSchema(c.params, "input")), "");
  if (c.query) out.push("Query parameters:", "", block(jsonSchema(c.query, "input")), "");
  if (c.body) out.push("Request body (JSON):", "", block(jsonSchema(c.body, "input")), "");
  for (const [status, schema] of Object.entries(c.responses)) {
    if (Number(status) >= 400) continue;
    out.push(`Response ${status}:`, "", schema ? block(jsonSchema(schema, "output")) : "(no body)", "");
  }
  return out.join("\n");
}

export function renderSkillMarkdown(all: RouteContract[], origin: string): string {
  const routes = approvalContracts(all);
  const agent = routes.filter((c) => audienceOf(c) === "agent");
  const human = routes.filter((c) => audienceOf(c) === "human");
  return [
    "---",
    "name: countersign-human-approval",
    "description: Ask a human to approve an on-chain action (Safe transaction) before it executes; the human decides on their phone.",
    `homepage: ${origin}`,
    "---",
    "",
    "# Countersign: human approval for agent transactions",
    "",
    `Base URL: ${origin}. Machine-readable: ${origin}/skill/manifest.json and ${origin}/openapi.json.`,
    "",
    "## Flow",
    "",
    "1. `GET /api/pairing-info?agent=<your address>&mode=safe` tells you your execution mode and the Safe you co-own with the organization.",
    "2. `POST /api/drafts` with `intent.actions` (1-10 calls on one chain). You get the ERC-7730 clear-signing text the human will read and one `safeTxHash`.",
    "3. Sign the `safeTxHash` with your owner key and `POST /api/requests` with the signature. The status is `pending_human`; the organization's phones receive a push notification.",
    "4. Poll `GET /api/requests/{id}` until the status is final: `executed` (with `txHash`), `rejected_by_human`, or a failure with `error`.",
    "",
    "Never ask the human to approve something other than what the draft describes: the human sees the draft's clear-signing text, and the passkey assertion they give commits to the request id and the safeTxHash.",
    "",
    "Errors are JSON `{ \"error\": \"...\" }` with the HTTP status: 400 invalid input, 404 unknown or not yours, 409 the same draft submitted twice, 410 the draft expired.",
    "",
    "## Routes for agents",
    "",
    ...agent.map(routeSection),
    "## Routes used by the human's app (for reference)",
    "",
    ...human.map(routeSection),
  ].join("\n");
}

export function renderManifest(all: RouteContract[], origin: string, version: string) {
  return {
    schemaVersion: 1,
    name: "countersign-human-approval",
    version,
    description: "Ask a human to approve an agent's on-chain action; execution happens only after the human accepts.",
    skill: `${origin}/skill.md`,
    openapi: `${origin}/openapi.json`,
    llms: `${origin}/.well-known/llms.txt`,
    authentication: { type: "bearer", header: "Authorization", alternativeHeader: "x-api-key" },
    endpoints: approvalContracts(all).map((c) => ({
      method: c.method,
      path: c.path,
      summary: c.summary,
      audience: audienceOf(c),
      auth: [...c.auth],
      permission: c.permission ?? null,
      statuses: Object.keys(c.responses).map(Number),
    })),
  };
}

export function renderLlmsTxt(all: RouteContract[], origin: string): string {
  return [
    "# Countersign",
    "",
    "> Control plane for AI agents that move money: threshold wallets, guardrails, and human approval of agent transactions from a phone.",
    "",
    "## Docs",
    "",
    `- [Agent skill](${origin}/skill.md): how an agent drafts a transaction and asks a human to approve it`,
    `- [Skill manifest](${origin}/skill/manifest.json): the same endpoints as JSON`,
    `- [OpenAPI](${origin}/openapi.json): every route with request and response schemas`,
    "",
    "## Human approval API",
    "",
    ...approvalContracts(all).map((c) => `- ${c.method} ${c.path}: ${c.summary} (${audienceOf(c)})`),
    "",
  ].join("\n");
}
