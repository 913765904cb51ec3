/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by their UTF-16 code units, no
 * whitespace, ECMAScript number and string serialization. Refuses what I-JSON forbids (non-finite
 * numbers, lone surrogates) and values JSON cannot carry. tools/verify-log/verify.mjs has its own copy.
 */
export class JcsError extends Error {}

const LONE_SURROGATE = /(?:[\ud800-\udbff](?![\udc00-\udfff]))|(?:(?<![\ud800-\udbff])[\udc00-\udfff])/;
const ANY_SURROGATE = /[\ud800-\udfff]/;

function str(s: string): string {
  // The cheap test first: most strings have no surrogate at all.
  if (ANY_SURROGATE.test(s) && LONE_SURROGATE.test(s)) throw new JcsError("string contains a lone surrogate");
  return JSON.stringify(s);
}

export function canonicalize(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new JcsError("non-finite number");
      return JSON.stringify(value);
    case "string":
      return str(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v === undefined ? null : v)).join(",")}]`;
      if (value instanceof Date) return str(value.toISOString());
      const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
      return `{${keys.map((k) => `${str(k)}:${canonicalize((value as Record<string, unknown>)[k])}`).join(",")}}`;
    }
    default:
      throw new JcsError(`cannot canonicalize a ${typeof value}`);
  }
}

export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}
