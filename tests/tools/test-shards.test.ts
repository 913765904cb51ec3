import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listTestFiles, mergeDurations, splitByDuration } from "@/tools/lib/test-shards";

const total = (files: string[], d: Record<string, number>) => files.reduce((s, f) => s + d[f]!, 0);

describe("splitting the unit files over shards by recorded duration", () => {
  it("puts two slow files on different shards and fills with the short ones, every file once", () => {
    const d: Record<string, number> = { "tests/a.test.ts": 600, "tests/b.test.ts": 580, "tests/c.test.ts": 30, "tests/d.test.ts": 20, "tests/e.test.ts": 10 };
    const [one, two] = splitByDuration(Object.keys(d), d, 2) as [string[], string[]];
    expect([...one, ...two].sort()).toEqual(Object.keys(d).sort());
    expect(one.includes("tests/a.test.ts")).not.toBe(two.includes("tests/a.test.ts"));
    expect(one.includes("tests/a.test.ts")).not.toBe(one.includes("tests/b.test.ts"));
    expect(Math.abs(total(one, d) - total(two, d))).toBeLessThanOrEqual(20);
  });

  it("counts a file without a recorded duration as the median of the recorded ones", () => {
    const d = { "tests/slow.test.ts": 1000, "tests/mid.test.ts": 100, "tests/fast.test.ts": 10 };
    const files = [...Object.keys(d), "tests/new-1.test.ts", "tests/new-2.test.ts"];
    const [one, two] = splitByDuration(files, d, 2) as [string[], string[]];
    // slow alone on one shard (1000) against mid + two unknown at 100 each + fast (310)
    expect([one, two].find((s) => s.includes("tests/slow.test.ts"))).toEqual(["tests/slow.test.ts"]);
  });

  it("keeps a file with another's path inside its own on that one's shard (vitest matches file arguments as substrings)", () => {
    const d = { "tests/x/a.test.ts": 500, "tests/x/a.test.ts.more/b.test.ts": 500, "tests/y.test.ts": 1 };
    const shards = splitByDuration(Object.keys(d), d, 2);
    expect(shards.find((s) => s.includes("tests/x/a.test.ts"))).toContain("tests/x/a.test.ts.more/b.test.ts");
  });

  it("is the same split for the same inputs, whatever their order", () => {
    const d = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`tests/f${i}.test.ts`, (i * 37) % 23]));
    expect(splitByDuration(Object.keys(d).reverse(), d, 3)).toEqual(splitByDuration(Object.keys(d), d, 3));
  });
});

describe("recording durations", () => {
  it("takes this run's times over the recorded ones and drops files that no longer exist", () => {
    expect(mergeDurations({ "tests/a.test.ts": 10, "tests/gone.test.ts": 5, "tests/b.test.ts": 7 }, { "tests/a.test.ts": 12.4 }, ["tests/b.test.ts", "tests/a.test.ts", "tests/new.test.ts"])).toEqual({ "tests/a.test.ts": 12, "tests/b.test.ts": 7 });
  });

  it("lists the .test.ts files below a folder as posix paths, leaving out the excluded folders", () => {
    const root = mkdtempSync(path.join(tmpdir(), "cs-shards-"));
    for (const f of ["tests/a.test.ts", "tests/helpers/h.ts", "tests/deep/er/b.test.ts", "tests/faults/f.test.ts", "tests/faultsy/c.test.ts"]) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), "");
    }
    const t = `${root}/tests`;
    expect(listTestFiles(t, [`${t}/faults`])).toEqual([`${t}/a.test.ts`, `${t}/deep/er/b.test.ts`, `${t}/faultsy/c.test.ts`]);
  });
});
