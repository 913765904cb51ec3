#!/usr/bin/env node
// Thin entry for `countersign`: the CLI is TypeScript, loaded through tsx. tsx is pointed at the
// repository's tsconfig explicitly so the `@/` import alias resolves from any working directory.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../lib/sdk/cli/main.ts");
