/**
 * How `npm test` (tools/test.ts) splits the unit files over its PGlite shards: by the durations
 * recorded in tests/durations.json, longest first, each file to the shard with the least time so far
 * (vitest's own --shard splits by a hash of the path, so two slow files can land on one shard).
 * Files without a recorded duration count as the median of the recorded ones.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Durations = Record<string, number>;

/** Pure: `files` in `count` groups of nearly equal total duration (deterministic for the same inputs). */
export function splitByDuration(files: readonly string[], durations: Readonly<Durations>, count: number): string[][] {
  const known = files.map((f) => durations[f]).filter((d): d is number => typeof d === "number" && Number.isFinite(d) && d >= 0).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 1;
  const cost = (f: string) => {
    const d = durations[f];
    return typeof d === "number" && Number.isFinite(d) && d >= 0 ? d : fallback;
  };
  // vitest matches a file argument as a substring of the path: a file whose path holds another's runs wherever that one does.
  const groups = new Map<string, string[]>();
  for (const f of [...files].sort((a, b) => a.length - b.length || a.localeCompare(b))) {
    const host = [...groups.keys()].find((g) => f.includes(g));
    if (host) groups.get(host)!.push(f);
    else groups.set(f, [f]);
  }
  const weighted = [...groups.values()].map((g) => ({ files: g, ms: g.reduce((s, f) => s + cost(f), 0) }));
  weighted.sort((a, b) => b.ms - a.ms || a.files[0]!.localeCompare(b.files[0]!));
  const shards = Array.from({ length: Math.max(1, count) }, () => ({ files: [] as string[], ms: 0 }));
  for (const g of weighted) {
    const lightest = shards.reduce((min, s) => (s.ms < min.ms ? s : min));
    lightest.files.push(...g.files);
    lightest.ms += g.ms;
  }
  return shards.map((s) => s.files.sort());
}

/** Pure: the recorded durations with this run's measurements, for the files that still exist. */
export function mergeDurations(recorded: Readonly<Durations>, measured: Readonly<Durations>, existing: readonly string[]): Durations {
  const out: Durations = {};
  for (const f of [...existing].sort()) {
    const d = measured[f] ?? recorded[f];
    if (d !== undefined) out[f] = Math.round(d);
  }
  return out;
}

/** The unit test files below `dir` (posix paths relative to the project), leaving out the `exclude` folders. */
export function listTestFiles(dir: string, exclude: readonly string[]): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .filter((f) => f.endsWith(".test.ts") && !exclude.some((x) => f === x || f.startsWith(`${x}/`)))
    .sort();
}

export function readDurations(file: string): Durations {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Durations) : {};
}

export function writeDurations(file: string, d: Durations): void {
  writeFileSync(file, `${JSON.stringify(d, null, 1)}\n`);
}
