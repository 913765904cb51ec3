import { readFileSync } from "node:fs";
import Ajv from "ajv";

/**
 * JSON schemas straight from seed 004's text: the block after "<METHOD> <path>" and the given
 * section heading ("Request Body", "Response 201", ...). Validated with ajv, so our responses are
 * checked against the seed itself, not against our zod transcription of it.
 */
const SEED = "/work/shared/seeds/004_056d1e48f385f5d4.txt";
const candidates = [SEED, new URL("../../../shared/seeds/004_056d1e48f385f5d4.txt", import.meta.url).pathname];
const text = readFileSync(candidates.find((p) => { try { readFileSync(p); return true; } catch { return false; } }) ?? SEED, "utf8");
const lines = text.split("\n");

export function seedSchema(method: string, path: string, section: string): object {
  const start = lines.findIndex((l) => l === `${method} ${path}`);
  if (start < 0) throw new Error(`seed 004 has no ${method} ${path}`);
  let i = start + 1;
  while (i < lines.length && lines[i] !== section) {
    if (/^(GET|POST|PUT|PATCH|DELETE) \//.test(lines[i]!)) throw new Error(`${method} ${path} has no "${section}"`);
    i++;
  }
  i++;
  while (lines[i]!.trim() === "") i++;
  const begin = i;
  while (!/^[}\]]$/.test(lines[i]!)) i++;
  return JSON.parse(lines.slice(begin, i + 1).join("\n")) as object;
}

/** The seed's route table ("GET/api/devicesList devices"). */
export function seedRoutes(): { method: string; path: string }[] {
  return lines
    .map((l) => /^(GET|POST|PUT|PATCH|DELETE)(\/api\/[^A-Z\s]*?)([A-Z].*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ method: m[1]!, path: m[2]!.replace(/:([a-zA-Z]+)/g, "{$1}") }));
}

const ajv = new Ajv({ strict: false, allErrors: true });

export function expectSeed(method: string, path: string, section: string, value: unknown): void {
  const validate = ajv.compile(seedSchema(method, path, section));
  if (!validate(value)) throw new Error(`${method} ${path} ${section} does not match seed 004: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}
