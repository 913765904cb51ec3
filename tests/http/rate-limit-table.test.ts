import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allContracts } from "@/lib/api";
import { rateLimitTable, withTable } from "@/lib/http/rate-limit-table";

describe("README's rate-limit table", () => {
  it("is the one generated from the code (npx tsx tools/rate-limit-table.ts --write)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(withTable(readme)).toBe(readme);
  });

  it("names every contract's rule and its routes", () => {
    const table = rateLimitTable();
    for (const c of allContracts) {
      const rules = c.rateLimit === undefined ? [] : Array.isArray(c.rateLimit) ? c.rateLimit : [c.rateLimit];
      for (const r of rules) {
        const row = table.split("\n").find((l) => l.includes(`\`${r.name}\``) && l.includes(`\`${c.method} ${c.path}\``));
        expect(row, `${r.name} on ${c.method} ${c.path}`).toBeDefined();
        expect(row).toContain(`| ${r.limit} |`);
      }
    }
  });
});
