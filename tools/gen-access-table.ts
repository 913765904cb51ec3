/**
 * Writes the role × route table (lib/auth/access-table.ts) into README.md's "Roles and routes",
 * between its markers. tests/auth/access-table.test.ts fails while README is stale.
 *
 *   npx tsx tools/gen-access-table.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { spliceAccessTable } from "@/lib/auth/access-table";

const file = new URL("../README.md", import.meta.url);
const before = readFileSync(file, "utf8");
const after = spliceAccessTable(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? "README.md: the access table is current\n" : "README.md: access table rewritten\n");
