import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { includeList, mergeIncluded } from "./descriptor-merge";
import { DescriptorError } from "./errors";
import type { Descriptor } from "./types";

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new DescriptorError(`cannot read ${file}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DescriptorError(`${file} is not valid JSON`, { cause });
  }
}

/** Loads a descriptor file and merges its `includes` (paths relative to the file, chains allowed). */
export function loadDescriptorFile(file: string, seen: readonly string[] = []): Descriptor {
  const absolute = resolve(file);
  if (seen.includes(absolute)) throw new DescriptorError(`include cycle: ${[...seen, absolute].join(" -> ")}`);
  const json = readJson(absolute);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new DescriptorError(`${absolute} is not a JSON object`);
  }
  let descriptor = json as Descriptor;
  for (const include of includeList(descriptor)) {
    if (/^[a-z]+:\/\//i.test(include)) throw new DescriptorError(`${absolute}: remote includes are not supported (${include})`);
    const included = loadDescriptorFile(join(dirname(absolute), include), [...seen, absolute]);
    descriptor = mergeIncluded(included, descriptor);
  }
  return descriptor;
}

/** Every `*.json` under `dir` (recursively) except ERC-7730 tests files. */
export function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listJsonFiles(full));
    else if (entry.endsWith(".json") && !entry.endsWith(".tests.json")) out.push(full);
  }
  return out;
}
