/**
 * The production build `npm start` serves (.next), rebuilt only when the sources changed since the
 * last one: a fingerprint of the sources' paths, sizes and modification times is stamped next to it.
 * `npm start` builds before it serves; `npm test` builds while the unit lanes still run, so the
 * end-to-end stage finds the build current.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

function sourceFingerprint(root: string): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        h.update(`${path.relative(root, p)}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of ["app", "components", "lib", "public"]) walk(path.join(root, d));
  for (const f of ["next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"]) {
    const p = path.join(root, f);
    if (existsSync(p)) h.update(`${f}:${statSync(p).mtimeMs}\n`);
  }
  return h.digest("hex");
}

const stampOf = (root: string) => path.join(root, ".next", "countersign-build.txt");

/** Whether .next holds a build of the sources as they are now. */
export function appBuildIsCurrent(root: string): boolean {
  return existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampOf(root)) && readFileSync(stampOf(root), "utf8") === sourceFingerprint(root);
}

/**
 * Runs `next build` (production) unless the build is current; resolves true when .next is current
 * afterwards. `output` receives the build's lines (default: this process's stdout and stderr).
 */
export function buildApp(root: string, env: NodeJS.ProcessEnv, output?: (line: string) => void): Promise<boolean> {
  if (appBuildIsCurrent(root)) return Promise.resolve(true);
  const fingerprint = sourceFingerprint(root);
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, "build"], { cwd: root, stdio: output ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...env, NODE_ENV: "production" } });
    if (output) for (const s of [child.stdout!, child.stderr!]) s.setEncoding("utf8").on("data", (chunk: string) => chunk.split("\n").filter(Boolean).forEach(output));
    child.on("error", () => resolve(false));
    child.on("close", (code) => {
      if (code === 0) writeFileSync(stampOf(root), fingerprint);
      resolve(code === 0);
    });
  });
}
