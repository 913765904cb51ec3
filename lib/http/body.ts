import { z } from "zod";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, type Violation } from "./errors";

/** Reads a body's bytes with a hard size cap, counting them as they stream in (undefined: no body). */
export async function readBodyBytes(req: Request, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new PayloadTooLargeError(limit);
  if (!req.body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

/** Reads a JSON body with a hard size cap, counting bytes as they stream in. */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  const bytes = await readBodyBytes(req, limit);
  if (bytes === undefined) return undefined;
  if (!/^application\/([a-z0-9.+-]+\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError();
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`Malformed JSON body: ${(err as Error).message}`, [{ field: "body", path: ["body"], code: "invalid_json", message: "Malformed JSON" }], { scimType: "invalidSyntax" });
  }
}

function issuePath(where: string, path: readonly PropertyKey[]): string {
  return [where, ...path.map(String)].join(".");
}

function segments(where: string, path: readonly PropertyKey[]): (string | number)[] {
  return [where, ...path.map((p) => (typeof p === "number" ? p : String(p)))];
}

/** zod issues → violations naming each field, e.g. `body.email: Invalid email address`, with the issue's code and path. */
export function violationsFrom(where: string, error: z.ZodError): Violation[] {
  const out: Violation[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ field: issuePath(where, [...issue.path, key]), path: segments(where, [...issue.path, key]), code: issue.code, message: `Unknown field "${key}"` });
      continue;
    }
    const field = issuePath(where, issue.path);
    const missing = issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined;
    out.push({ field, path: segments(where, issue.path), code: issue.code, message: missing ? "Required" : issue.message });
  }
  return out;
}

/** Nesting deeper than this (arrays and objects) is refused before any schema or handler walks it. */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored or compared (PostgreSQL refuses NUL in text; a lone surrogate is no Unicode). */
export function badString(s: string): string | null {
  if (s.includes("\u0000")) return "Must not contain a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(s)) return "Must not contain an unpaired UTF-16 surrogate";
  return null;
}

/**
 * The input classes every field refuses whatever its schema says (issue #12): a NUL character or an
 * unpaired surrogate in any string or object key, and nesting deeper than MAX_JSON_DEPTH. Iterative,
 * so a hostile depth cannot exhaust the stack; the first problem found is reported, naming its field.
 */
export function unsafeInputViolations(where: string, value: unknown): Violation[] {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const why = badString(v);
      if (why) return [{ field: issuePath(where, path), path: segments(where, path), code: "invalid_string", message: why }];
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return [{ field: issuePath(where, path), path: segments(where, path), code: "too_deep", message: `Nested deeper than ${MAX_JSON_DEPTH} levels` }];
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    for (const [k, child] of Object.entries(v)) {
      const why = badString(k);
      if (why) return [{ field: issuePath(where, [...path, k]), path: segments(where, [...path, k]), code: "invalid_key", message: `Field name: ${why.charAt(0).toLowerCase()}${why.slice(1)}` }];
      stack.push({ v: child, path: [...path, k] });
    }
  }
  return [];
}

function refuse(where: string, violations: Violation[]): never {
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join("; ");
  throw new BadRequestError(`Invalid request ${where}: ${summary}`, violations);
}

/**
 * Every route's params, query and body pass here: first the classes no field accepts
 * (unsafeInputViolations), then the route's schema; either way a 400 that names the field.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: "body" | "query" | "params"): z.output<T> {
  const unsafe = unsafeInputViolations(where, value);
  if (unsafe.length) refuse(where, unsafe);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  refuse(where, violationsFrom(where, r.error));
}

export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}
