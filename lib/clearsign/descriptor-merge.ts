import type { Descriptor, JsonValue } from "./types";

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mergeFieldsByPath(base: unknown[], override: unknown[]): unknown[] {
  const result = [...base];
  for (const field of override) {
    const path = isPlainObject(field) ? field.path : undefined;
    const at = path === undefined ? -1 : result.findIndex((f) => isPlainObject(f) && f.path === path);
    if (at >= 0) result[at] = mergeValues(result[at], field);
    else result.push(field);
  }
  return result;
}

function mergeValues(base: unknown, override: unknown, key?: string): unknown {
  if (key === "fields" && Array.isArray(base) && Array.isArray(override)) return mergeFieldsByPath(base, override);
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Plain = { ...base };
  for (const [k, v] of Object.entries(override)) {
    result[k] = k in base ? mergeValues(base[k], v, k) : v;
  }
  return result;
}

/**
 * Merges an included file into the including one as ERC-7730 "Organizing files" describes: the
 * including file's keys win, objects merge recursively and `fields` arrays merge by `path`.
 */
export function mergeIncluded(included: Descriptor, including: Descriptor): Descriptor {
  const { includes: _dropped, ...rest } = including;
  const { includes: _alsoDropped, ...base } = included;
  return mergeValues(base, rest) as Descriptor;
}

/** Deep merge of a field definition (`$.display.definitions.X`) with the field that references it. */
export function mergeDefinition<T extends Record<string, unknown>>(definition: T, field: T): T {
  return mergeValues(definition, field) as T;
}

export function includeList(descriptor: Descriptor): string[] {
  const includes = descriptor.includes as JsonValue | undefined;
  if (typeof includes === "string") return [includes];
  if (Array.isArray(includes)) return includes.filter((i): i is string => typeof i === "string");
  return [];
}
