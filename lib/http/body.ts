import { z } from "zod";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, type Violation } from "./errors";

/** Reads a JSON body with a hard size cap, counting bytes as they stream in. */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const type = req.headers.get("content-type") ?? "";
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
  if (size === 0) return undefined;
  if (!/^application\/([a-z0-9.+-]+\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError();
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
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

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: "body" | "query" | "params"): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const violations = violationsFrom(where, r.error);
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join("; ");
  throw new BadRequestError(`Invalid request ${where}: ${summary}`, violations);
}

export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}
