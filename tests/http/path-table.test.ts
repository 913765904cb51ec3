import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { compilePattern, examplePath, matchPath, needsSession, PATH_TABLE } from "@/lib/http/path-table";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

const SID = "SID-0x0123456789abcdef";

function files(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return files(p, name);
    return entry === name ? [p] : [];
  });
}

/** app/(dashboard)/signers/[id]/page.tsx → ["signers", "[id]"] (route groups dropped). */
function segmentsOf(file: string): string[] {
  return path
    .relative("app", path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
}

const template = (segments: string[]) => "/" + segments.join("/");

function sampleFor(segment: string): string {
  if (segment.startsWith("[...")) return "sample/path";
  if (segment === "[sid]") return SID;
  if (segment === "[id]") return "7f0c3a52-9a55-4a57-9f0e-2f6d3c1b8a11";
  return "sample";
}
const instantiate = (segments: string[]) => "/" + segments.map((s) => (s.startsWith("[") ? sampleFor(s) : s)).join("/");
/**
 * Seed 001's /agents/{sid}/… handlers live in app/agents/[id]/… (Next allows one slug name per level
 * and the dashboard's /agents/[id] page came first); they serve SID-formatted ids only.
 */
const instantiateRoute = (segments: string[]) => (segments[0] === "agents" && segments[1] === "[id]" ? instantiate(segments).replace(/^\/agents\/[^/]+/, `/agents/${SID}`) : instantiate(segments));

const dashboardPages = files(path.join("app", "(dashboard)"), "page.tsx").map(segmentsOf);
const authPages = files(path.join("app", "(auth)"), "page.tsx").map(segmentsOf);
const routeFiles = files("app", "route.ts").map((file) => ({ file, segments: segmentsOf(file) }));

function anonymous(pathname: string, cookie?: string) {
  const req = new NextRequest(new URL(pathname, "http://localhost:3000"), cookie ? { headers: { cookie } } : undefined);
  return proxy(req);
}
const passedThrough = (res: Response) => res.headers.get("x-middleware-next") === "1" && !res.headers.has("location");

describe("the path table", () => {
  it("matches exact patterns, not prefixes", () => {
    const pass = [
      "/sign-in", "/sign-up", "/verify-email", "/dev/outbox",
      "/api/v1/signers", "/api/requests", "/api/agent/info/42220/1", "/api/cards/42220/1", "/api/auth/session",
      "/health", "/ready", "/metrics", "/openapi.json", "/skill.md", "/skill/manifest.json",
      "/.well-known/llms.txt", "/.well-known/self-agent-id.json", "/.well-known/a2a/5",
      "/apply", "/register", `/score/${SID}`, `/score/${SID}/public`, "/score/not-a-sid", "/transactions",
      `/agents/${SID}/config`, `/agents/${SID}/verify`, `/agents/${SID}/verify/confirm`, `/report/${SID}`, "/me",
      "/scim/v2/Users", "/scim/v2/Users/42", "/scim/v2/ServiceProviderConfig",
      "/_next/static/chunks/main.js", "/icons/icon-192.png", "/sw.js", "/manifest.webmanifest", "/favicon.ico",
    ];
    const dashboard = [
      "/", "/agents", "/agents/7f0c3a52-9a55-4a57-9f0e-2f6d3c1b8a11", `/agents/${SID}`, `/agents/${SID}/other`, "/agents/SID-0x0123/config",
      "/agents/sid-0x0123456789abcdef/config",
      "/signers", "/settings/api-keys", "/approvals/ntf_1", "/gateway",
      "/healthz", "/health/x", "/apply/now", "/me/too", "/meh", "/skill", "/skillz", "/sign-in/x", "/dev/other", "/dev",
      "/score", "/report", "/scim", "/scim/v1/Users", "/icons/a/b.png", "/logo.png", "/api",
    ];
    for (const p of pass) expect(needsSession(p), p).toBe(false);
    for (const p of dashboard) expect(needsSession(p), p).toBe(true);
  });

  it("names each API path's family and seed", () => {
    expect(matchPath("/api/v1/check")).toMatchObject({ kind: "api", family: "hybrid" });
    expect(matchPath("/api/turnkey/drafts")).toMatchObject({ kind: "api", family: "error" });
    expect(matchPath("/scim/v2/Users")).toMatchObject({ kind: "api", family: "scim" });
    expect(matchPath("/apply")).toMatchObject({ kind: "api", family: "error", seed: "001" });
    expect(matchPath("/sign-in")).toMatchObject({ kind: "auth-page" });
    expect(matchPath("/sw.js")).toMatchObject({ kind: "asset" });
    for (const e of PATH_TABLE) {
      if (e.kind === "api") expect(e.family, e.pattern).toBeDefined();
      expect(compilePattern(e.pattern).test(examplePath(e.pattern)), e.pattern).toBe(true);
    }
  });

  it("covers every file in public/ as an asset", () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(path.join(dir, e)).isDirectory() ? walk(path.join(dir, e)) : [path.join(dir, e)]));
    const assets = walk("public").map((f) => "/" + path.relative("public", f).split(path.sep).join("/"));
    expect(assets.length).toBeGreaterThan(3);
    for (const a of assets) expect(matchPath(a)?.kind, a).toBe("asset");
  });
});

describe("proxy.ts over the app's own pages and routes", () => {
  it("redirects an anonymous visit to every dashboard page, and lets a session cookie through", () => {
    expect(dashboardPages.length).toBeGreaterThan(10);
    for (const segments of dashboardPages) {
      const url = instantiate(segments);
      const res = anonymous(`${url}?tab=1`);
      expect(res.status, url).toBe(307);
      const location = new URL(res.headers.get("location")!);
      expect(location.pathname, url).toBe("/sign-in");
      expect(location.searchParams.get("next"), url).toBe(`${url}?tab=1`);
      expect(passedThrough(anonymous(url, "authjs.session-token=x")), url).toBe(true);
    }
  });

  it("passes the signed-out pages and every route handler through", () => {
    for (const segments of authPages) expect(passedThrough(anonymous(instantiate(segments))), template(segments)).toBe(true);
    for (const { segments } of routeFiles) {
      if (segments.length === 1 && segments[0] === "[...path]") continue; // the root 404 catch-all serves whatever is left
      const url = instantiateRoute(segments);
      expect(passedThrough(anonymous(url)), url).toBe(true);
    }
  });

  it("never gives a dashboard page and an API route the same path", () => {
    const pageTemplates = new Set([...dashboardPages, ...authPages].map(template));
    for (const { segments } of routeFiles) expect(pageTemplates.has(template(segments)), template(segments)).toBe(false);
    for (const segments of [...dashboardPages, ...authPages]) expect(matchPath(instantiate(segments))?.kind, template(segments)).not.toBe("api");
  });
});

// --- Every API path answers an anonymous client with JSON (or its own media type), never a page ---

type Handler = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;

/** Next's order: at each segment a static name beats [dynamic], which beats [...catch-all]. */
function rank(segments: string[]): number[] {
  return segments.map((s) => (s.startsWith("[...") ? 2 : s.startsWith("[") ? 1 : 0));
}

function resolveRoute(pathname: string): { file: string; params: Record<string, string | string[]> } {
  const parts = pathname.split("/").filter(Boolean);
  const candidates: { file: string; segments: string[]; params: Record<string, string | string[]> }[] = [];
  for (const { file, segments } of routeFiles) {
    const params: Record<string, string | string[]> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const s = segments[i]!;
      if (s.startsWith("[...")) {
        if (i >= parts.length) ok = false;
        else params[s.slice(4, -1)] = parts.slice(i);
        if (i !== segments.length - 1) ok = false;
        break;
      }
      if (i >= parts.length) ok = false;
      else if (s.startsWith("[")) params[s.slice(1, -1)] = parts[i]!;
      else if (s !== parts[i]) ok = false;
    }
    const last = segments[segments.length - 1] ?? "";
    if (ok && !last.startsWith("[...") && segments.length !== parts.length) ok = false;
    if (ok) candidates.push({ file, segments, params });
  }
  candidates.sort((a, b) => {
    const ra = rank(a.segments);
    const rb = rank(b.segments);
    for (let i = 0; i < Math.max(ra.length, rb.length); i++) if ((ra[i] ?? 3) !== (rb[i] ?? 3)) return (ra[i] ?? 3) - (rb[i] ?? 3);
    return 0;
  });
  const best = candidates[0];
  if (!best) throw new Error(`no route file serves ${pathname}`);
  return { file: best.file, params: best.params };
}

async function callAnonymously(pathname: string, method: string): Promise<Response> {
  const { file, params } = resolveRoute(pathname);
  const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, Handler>;
  // A POST-only route (seed 001's /apply, /register, …) is probed with the method it serves.
  const handler = mod[method] ?? mod.GET ?? mod.POST;
  if (!handler) throw new Error(`${file} exports no ${method}`);
  return handler(new Request(new URL(pathname, "http://localhost:3000"), { method }), { params: Promise.resolve(params) });
}

function expectApiAnswer(res: Response, body: string, label: string) {
  // Seed 003's A2A discovery redirects to the agent card resolver by contract (never to /sign-in).
  if (/^GET \/\.well-known\/a2a\//.test(label) && res.status === 302) return expect(new URL(res.headers.get("location") ?? "", "http://x").pathname, label).toMatch(/^\/api\/cards\/\d+\/\d+$/);
  expect(res.status >= 300 && res.status < 400, `${label}: ${res.status} is a redirect`).toBe(false);
  expect(res.status === 500, `${label}: 500 ${body}`).toBe(false);
  if (res.status === 204) return expect(body, label).toBe("");
  const type = res.headers.get("content-type") ?? "";
  expect(type, label).not.toMatch(/text\/html/);
  if (/json/.test(type)) expect(() => JSON.parse(body), label).not.toThrow();
  else expect(type, label).toMatch(/^text\/(plain|markdown|csv)/);
}

describe("every API path answers an anonymous client", () => {
  const seedPaths = [
    "/apply", "/register", `/score/${SID}`, `/score/${SID}/public`, "/transactions", `/agents/${SID}/config`, `/agents/${SID}/verify`,
    `/agents/${SID}/verify/confirm`, `/report/${SID}`, "/me", "/api/agent/info/42220/1", "/api/agent/register", "/api/cards/42220/1",
    "/.well-known/self-agent-id.json", "/.well-known/a2a/5", "/.well-known/llms.txt", "/health", "/api/health", "/ready", "/metrics",
    "/openapi.json", "/skill.md", "/skill/manifest.json", "/scim/v2/Users", "/api/v1/check/sample/decision", "/api/v1/transparency-log/size", "/api/turnkey/drafts",
  ];

  it("with JSON (401, a public answer or a JSON 404) on every seed path and table pattern, passed through by the proxy", async () => {
    const paths = [...seedPaths, ...PATH_TABLE.filter((e) => e.kind === "api").map((e) => examplePath(e.pattern))];
    for (const p of paths) {
      expect(passedThrough(anonymous(p)), p).toBe(true);
      const res = await callAnonymously(p, "GET");
      const body = await res.text();
      expectApiAnswer(res, body, `GET ${p}`);
      if (res.status === 404) expect(body, p).toMatch(/No route for GET|"Agent not found"/);
    }
    // Built (issue #15): seed 001's routes answer in their { error } shape with the seed's strings.
    expect(JSON.parse(await (await callAnonymously("/apply", "POST")).text())).toEqual({ error: "Name is required" });
    expect(JSON.parse(await (await callAnonymously("/register", "POST")).text())).toEqual({ error: "Missing or invalid Authorization header..." });
    expect(JSON.parse(await (await callAnonymously(`/score/${SID}/public`, "GET")).text())).toEqual({ error: "Agent not found" });
    const scim = await callAnonymously("/scim/v2/Users", "GET");
    expect(scim.headers.get("content-type")).toMatch(/application\/scim\+json/);
    // Built (issue #18): SCIM answers an anonymous client 401 in RFC 7644 form.
    expect(JSON.parse(await scim.text())).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    // Built (issue #13): seed 002's gateway answers an anonymous client 401 in its own shape.
    expect(JSON.parse(await (await callAnonymously("/api/v1/check", "POST")).text())).toEqual({ error: { code: "UNAUTHORIZED", message: expect.any(String) } });
  });

  it("with JSON on every method of every route handler in app/", async () => {
    let calls = 0;
    for (const { file, segments } of routeFiles) {
      if (segments[0] === "api" && segments[1] === "auth") continue; // next-auth's own handlers, not ours
      if (segments.length === 1 && segments[0] === "[...path]") continue; // the root catch-all: API paths above, HTML below
      const url = instantiate(segments);
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, Handler | undefined>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method];
        if (!handler) continue;
        const params = Object.fromEntries(segments.filter((s) => s.startsWith("[")).map((s) => (s.startsWith("[...") ? [s.slice(4, -1), ["sample", "path"]] : [s.slice(1, -1), sampleFor(s)])));
        const res = await handler(new Request(new URL(url, "http://localhost:3000"), { method }), { params: Promise.resolve(params) });
        const body = await res.text();
        expectApiAnswer(res, body, `${method} ${url}`);
        calls++;
      }
    }
    expect(calls).toBeGreaterThan(90);
  });

  it("while the root catch-all gives a non-API path a plain HTML 404, not JSON", async () => {
    const res = await callAnonymously("/signers/x/y/z", "GET");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });
});
