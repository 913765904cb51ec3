/** Prints the rate-limit table (lib/http/rate-limit-table.ts); `--write` puts it into README.md between its markers. */
import { readFileSync, writeFileSync } from "node:fs";
import { rateLimitTable, withTable } from "@/lib/http/rate-limit-table";

if (process.argv.includes("--write")) {
  writeFileSync("README.md", withTable(readFileSync("README.md", "utf8")));
  process.stdout.write("README.md: rate-limit table updated\n");
} else {
  process.stdout.write(`${rateLimitTable()}\n`);
}
