/**
 * The app's API route handlers, discovered from every route.ts under app/ and matched like Next's router
 * (static segments before dynamic ones, catch-alls last). Used to serve the API without Next in
 * tests and tools (a second app instance in the multi-instance test).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

type Handler = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
type RouteEntry = { pattern: RegExp; keys: string[]; file: string; rank: number };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : n === "route.ts" ? [p] : [];
  });
}

export function discoverRoutes(appDir: string): RouteEntry[] {
  return walk(appDir)
    .map((file) => {
      const segs = path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
      const keys: string[] = [];
      let rank = 0;
      const re = segs
        .map((s) => {
          const catchAll = /^\[\.\.\.(.+)\]$/.exec(s);
          if (catchAll) {
            keys.push(catchAll[1]!);
            rank += 100;
            return "/(.+)";
          }
          const dyn = /^\[(.+)\]$/.exec(s);
          if (dyn) {
            keys.push(dyn[1]!);
            rank += 1;
            return "/([^/]+)";
          }
          return "/" + s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("");
      return { pattern: new RegExp(`^${re || "/"}$`), keys, file, rank };
    })
    .sort((a, b) => a.rank - b.rank);
}

export function createRouter(appDir: string) {
  const routes = discoverRoutes(appDir);
  const modules = new Map<string, Record<string, Handler>>();
  return async (req: Request): Promise<Response> => {
    const pathname = new URL(req.url).pathname;
    for (const r of routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      let mod = modules.get(r.file);
      if (!mod) {
        mod = (await import(pathToFileURL(r.file).href)) as Record<string, Handler>;
        modules.set(r.file, mod);
      }
      const handler = mod[req.method];
      if (!handler) return new Response(JSON.stringify({ statusCode: 405, message: "Method not allowed" }), { status: 405 });
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
      return handler(req, { params: Promise.resolve(params) });
    }
    return new Response(JSON.stringify({ statusCode: 404, message: "Not found" }), { status: 404 });
  };
}
