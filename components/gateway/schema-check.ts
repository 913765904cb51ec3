/** Validates a JSON Schema as the user types (the server compiles it the same way, ajv draft 2020-12). */
import Ajv2020 from "ajv/dist/2020";

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

export type SchemaCheck = { ok: true; schema: Record<string, unknown> } | { ok: false; error: string };

export function checkSchemaText(text: string): SchemaCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, error: "A JSON Schema is an object" };
  try {
    ajv.compile(parsed as object);
  } catch (err) {
    return { ok: false, error: `Not a valid JSON Schema: ${(err as Error).message}` };
  }
  return { ok: true, schema: parsed as Record<string, unknown> };
}
