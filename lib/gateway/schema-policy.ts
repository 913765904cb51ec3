/**
 * JSON Schema tool policies (draft 2020-12, ajv): compiled once per (organization, policy, version)
 * and cached. A call violates the policy when { tool_name, arguments } does not validate; a schema
 * aimed at one tool says so itself (`if: { properties: { tool_name: { const: "db_query" } } }, then: …`).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, code: { optimize: true } });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

const cache = new Map<string, ValidateFunction>();
const MAX_CACHED = 5000;

export type SchemaProblem = { path: string; message: string };

/** Compiles (or reports why not): used to validate a policy when it is written. */
export function schemaProblems(schema: unknown): SchemaProblem[] {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return [{ path: "", message: "must be a JSON Schema object or a template" }];
  try {
    ajv.compile(schema as object);
    return [];
  } catch (err) {
    return [{ path: "", message: `is not a valid JSON Schema (draft 2020-12): ${(err as Error).message}` }];
  }
}

export function compiledSchema(key: string, schema: Record<string, unknown>): ValidateFunction {
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(schema);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/** "/arguments/sql" → "arguments.sql". */
export function dottedPath(instancePath: string): string {
  return instancePath.split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
}

/** ajv says what must hold ("must be <= 100"); the hint says what would have passed ("is <= 100"). */
export function asCondition(message: string): string {
  return message
    .replace(/^must NOT /, "does not ")
    .replace(/^must be /, "is ")
    .replace(/^must have /, "has ")
    .replace(/^must match /, "matches ")
    .replace(/^must pass /, "passes ")
    .replace(/^must /, "");
}

export function violations(validate: ValidateFunction, call: { tool_name: string; arguments: unknown }): ErrorObject[] {
  return validate(call) ? [] : (validate.errors ?? []).filter((e) => e.keyword !== "if");
}
