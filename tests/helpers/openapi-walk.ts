/**
 * Walking the API as the app serves it, for the suites that call every operation (tests/http/fuzz,
 * tests/auth/access-matrix): the route module behind each OpenAPI path template, and a sample value
 * for any JSON Schema of /openapi.json.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { HttpMethod } from "@/lib/http/contract";

export type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;
export type Json = Record<string, any>;

// --- Routes: app/**/route.ts by OpenAPI path template -------------------------------------------

function files(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return files(p, name);
    return entry === name ? [p] : [];
  });
}

/** app/api/v1/signers/[id]/route.ts → /api/v1/signers/{id}; a catch-all [...path] → {path}. */
function templateOf(file: string): string {
  const segs = path.relative("app", path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  const t = "/" + segs.map((s) => (s.startsWith("[") ? `{${s.replace(/^\[(\.\.\.)?|\]$/g, "")}}` : s)).join("/");
  // Seed 001's /agents/{sid}/… handlers sit in app/agents/[id]/ (one slug name per level: the dashboard's /agents/[id]).
  return t.replace(/^\/agents\/\{id\}\//, "/agents/{sid}/");
}

/**
 * The route module serving each documented path, as Next resolves it: the route with that exact
 * template, else the catch-all with the longest prefix (/api/v1/{path} is served by app/api/[...path]).
 * Only those are loaded (next-auth's catch-all is no operation).
 */
export async function loadRoutes(documented: string[]): Promise<Map<string, Partial<Record<HttpMethod, Handler>>>> {
  const all = files("app", "route.ts").map((file) => ({ file, template: templateOf(file), catchAll: file.includes("[...") }));
  const out = new Map<string, Partial<Record<HttpMethod, Handler>>>();
  for (const p of documented) {
    const exact = all.find((r) => r.template === p);
    const prefix = (t: string) => t.slice(0, t.lastIndexOf("{"));
    const caught = all.filter((r) => r.catchAll && p.startsWith(prefix(r.template))).sort((a, b) => prefix(b.template).length - prefix(a.template).length)[0];
    const route = exact ?? caught;
    if (route) out.set(p, (await import(/* @vite-ignore */ path.resolve(route.file))) as Partial<Record<HttpMethod, Handler>>);
  }
  return out;
}

// --- Samples from JSON Schema ---------------------------------------------------------------------

const PATTERN_CANDIDATES = [
  "0x" + "ab".repeat(20),
  "ab".repeat(32),
  "ab".repeat(64),
  "02" + "ab".repeat(32),
  "0x",
  "0x00",
  "1",
  "signer.created",
  "signer",
  "SID-0x0123456789abcdef",
  "a",
];

export function nonNull(s: Json): Json {
  for (const k of ["anyOf", "oneOf"] as const) if (Array.isArray(s[k])) return nonNull(s[k].find((x: Json) => x.type !== "null") ?? s[k][0]);
  return s;
}
export function typeOf(s: Json): string | undefined {
  const n = nonNull(s);
  if (Array.isArray(n.type)) return n.type.find((t: string) => t !== "null");
  if (n.type) return n.type;
  if (n.properties) return "object";
  if ("const" in n) return typeof n.const;
  if (n.enum) return typeof n.enum[0];
  return undefined; // z.unknown(): anything
}

export function sample(schema: Json | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  const s = nonNull(schema);
  if ("const" in s) return s.const;
  if (s.enum) return s.enum[0];
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Json) => sample(x, depth + 1)));
  switch (typeOf(s)) {
    case "object": {
      const out: Json = {};
      // Required members; an all-optional object (a PATCH) gets its first member, so it updates something.
      const names: string[] = s.required?.length ? s.required : Object.keys(s.properties ?? {}).slice(0, 1);
      for (const name of names) out[name] = sample(s.properties?.[name], depth + 1);
      return out;
    }
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, depth + 1));
    case "string": {
      if (s.format === "uuid") return randomUUID();
      if (s.format === "email") return `fuzz-${randomUUID().slice(0, 8)}@example.com`;
      if (s.format === "date-time") return new Date().toISOString();
      if (s.format === "date") return "2026-01-01";
      if (s.format === "uri") return "https://example.com/fuzz";
      if (s.pattern) return PATTERN_CANDIDATES.find((c) => new RegExp(s.pattern, "u").test(c)) ?? "a";
      return "a".repeat(Math.max(1, s.minLength ?? 1));
    }
    case "integer":
    case "number":
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
    case "boolean":
      return false;
    default:
      return "any";
  }
}


// --- Services this test instance does not configure ---------------------------------------------

/**
 * Whether an answer is the 503 the route's contract declares for a service this instance does not
 * configure (`unconfigured`: seed 003's "Service not configured", "Turnkey is not configured"), in
 * the family's body. Any other 5xx, or this message on a route that does not declare it, is a failure.
 */
export function isDeclaredUnconfigured(contract: { unconfigured?: string } | undefined, status: number, text: string): boolean {
  if (status !== 503 || !contract?.unconfigured) return false;
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    return false;
  }
  const message = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message ?? body.detail);
  return message === contract.unconfigured;
}
