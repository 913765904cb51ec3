import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (n === "generated" || n === "node_modules") return [];
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });
}

describe(".env.example", () => {
  it("documents every environment variable the server and start script read, and nothing else", () => {
    const documented = new Set([...readFileSync(".env.example", "utf8").matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
    const read = new Set<string>();
    const envSchema = readFileSync("lib/config/env.ts", "utf8");
    for (const m of envSchema.matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm)) read.add(m[1]!);
    // lib/sdk is the agent-side client (its variables are documented in lib/sdk/README.md).
    for (const file of [...sources("lib").filter((f) => !f.startsWith(path.join("lib", "sdk"))), ...sources("app"), "tools/start.ts"]) {
      for (const m of readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
      for (const m of readFileSync(file, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
    }
    // Set by the platform or the test harness, not configuration.
    for (const v of ["NODE_ENV", "XDG_DATA_HOME", "npm_package_version", "NEXT_TELEMETRY_DISABLED", "DEVNET_CHAIN_ID", "TEST_PG_ADMIN_URL", "CI", "NEXT_MANUAL_SIG_HANDLE"]) read.delete(v);
    expect([...read].filter((v) => !documented.has(v)).sort()).toEqual([]);
    expect([...documented].filter((v) => !read.has(v)).sort()).toEqual([]);
  });
});
