import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";

/**
 * seed 004's route contracts, parsed from the seed text at test time: each "METHOD /path" heading is
 * followed by "Query Params" / "Request Body" / "Response NNN" sections, each holding one JSON schema.
 */
export const SEED_FILE = "/work/shared/seeds/004_056d1e48f385f5d4.txt";
const SEED_PATH = process.env.SEED_004_FILE ?? (readable(SEED_FILE) ? SEED_FILE : "../shared/seeds/004_056d1e48f385f5d4.txt");

function readable(p: string): boolean {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}

type Schema = Record<string, unknown>;

export function parseSeed(text: string): Record<string, Record<string, Schema>> {
  const lines = text.split("\n");
  const out: Record<string, Record<string, Schema>> = {};
  let route: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(GET|POST|PUT|PATCH|DELETE) (\/\S+)$/.exec(line);
    if (heading) {
      route = `${heading[1]} ${heading[2]}`;
      out[route] = {};
      continue;
    }
    const section = /^(Response \d{3}|Request Body|Query Params|Path Params)$/.exec(line);
    if (!section || !route) continue;
    let j = i + 1;
    while (lines[j]!.trim() === "") j++;
    const buf: string[] = [];
    let depth = 0;
    for (; j < lines.length; j++) {
      buf.push(lines[j]!);
      for (const c of lines[j]!) {
        if (c === "{" || c === "[") depth++;
        if (c === "}" || c === "]") depth--;
      }
      if (depth === 0) break;
    }
    out[route]![section[1]!] = JSON.parse(buf.join("\n")) as Schema;
    i = j;
  }
  return out;
}

export const seed = parseSeed(readFileSync(SEED_PATH, "utf8"));

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("uri", { validate: (s: string) => URL.canParse(s) });
const cache = new Map<string, ValidateFunction>();

function compiled(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(schema);
    cache.set(key, v);
  }
  return v;
}

export function seedSchema(route: string, section: string): Schema {
  const s = seed[route]?.[section];
  if (!s) throw new Error(`seed 004 has no "${section}" for ${route}`);
  return s;
}

/**
 * Validates a body against the seed schema; returns the ajv errors (empty when valid).
 *
 * One seed schema (GET /api/notifications/:id → 200) is `allOf` of two objects that each say
 * additionalProperties:false, which no object can satisfy literally (each forbids the other's
 * members). It is read as what it describes: the members of both parts, each part validated against
 * the members it declares, and no member outside the union.
 */
export function seedErrors(route: string, section: string, body: unknown): string[] {
  const schema = seedSchema(route, section);
  const parts = schema.allOf as Schema[] | undefined;
  if (parts && parts.every((p) => p.type === "object" && p.additionalProperties === false) && body && typeof body === "object" && !Array.isArray(body)) {
    const errors: string[] = [];
    const all = new Set(parts.flatMap((p) => Object.keys(p.properties as object)));
    for (const k of Object.keys(body)) if (!all.has(k)) errors.push(`unexpected member ${k}`);
    for (const p of parts) {
      const keys = Object.keys(p.properties as object);
      const subset = Object.fromEntries(Object.entries(body).filter(([k]) => keys.includes(k)));
      const v = compiled(p);
      if (!v(subset)) errors.push(...(v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
    }
    return errors;
  }
  const v = compiled(schema);
  return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Asserts `res` has the status and a body valid against the seed's schema for it. */
export function expectSeed(route: string, res: { status: number; json: unknown }, status: number): void {
  if (res.status !== status) throw new Error(`${route}: expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  const errors = seedErrors(route, `Response ${status}`, res.json);
  if (errors.length) throw new Error(`${route} ${status} does not match seed 004: ${errors.join("; ")}\n${JSON.stringify(res.json).slice(0, 2000)}`);
}
