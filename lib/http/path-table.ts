import type { ApiFamily } from "./families";

/**
 * Every path that is not a dashboard page, as exact patterns (issue #11, C9). proxy.ts sends an
 * anonymous visit to anything else to /sign-in; everything listed here passes through untouched,
 * so API clients (which send a key, never a cookie) reach their routes and get JSON.
 *
 * Pattern syntax: `{name}` is one path segment, `{SID}` a Signet id (SID-0x + 16 hex), `{name*}`
 * one or more segments. A dashboard page and an API route never share a path:
 * tests/http/path-table.test.ts checks this table against app/ both ways.
 */
export type PathKind =
  /** Route handlers: JSON (or the route's own media type), never a redirect. */
  | "api"
  /** Pages that work signed out (sign-in, sign-up, email verification, the development outbox). */
  | "auth-page"
  /** Static files and Next's own assets. */
  | "asset";

export type PathEntry = {
  pattern: string;
  kind: PathKind;
  /** For API paths: whose clients call it, and the family of the JSON 404 while no route serves it. */
  family?: ApiFamily;
  seed?: string;
};

const SEGMENT: Record<string, string> = { SID: "SID-0x[0-9a-fA-F]{16}" };

const api = (pattern: string, family: ApiFamily, seed: string): PathEntry => ({ pattern, kind: "api", family, seed });

export const PATH_TABLE: readonly PathEntry[] = [
  // Signed-out pages
  { pattern: "/sign-in", kind: "auth-page" },
  { pattern: "/sign-up", kind: "auth-page" },
  { pattern: "/verify-email", kind: "auth-page" },
  { pattern: "/dev/outbox", kind: "auth-page" },

  // Static assets (public/ and Next's build output)
  { pattern: "/_next/{path*}", kind: "asset" },
  { pattern: "/icons/{file}", kind: "asset" },
  { pattern: "/sw.js", kind: "asset" },
  { pattern: "/manifest.webmanifest", kind: "asset" },
  { pattern: "/favicon.ico", kind: "asset" },

  // Everything under /api: seed 000's /api/v1 (and seed 002's routes there), seed 003's /api/agent,
  // /api/cards, …, seed 004's /api/requests, …, next-auth's /api/auth.
  api("/api/v1/{path*}", "hybrid", "000, 002"),
  api("/api/{path*}", "error", "003, 004"),

  // System and agent documentation
  api("/health", "v1", "000, 002"),
  api("/ready", "aegis", "002"),
  api("/metrics", "aegis", "002"),
  api("/openapi.json", "v1", "004"),
  api("/mcp", "aegis", "002 (MCP gateway, issue 13)"),
  api("/skill.md", "error", "004"),
  api("/skill/manifest.json", "error", "004"),
  api("/.well-known/{path*}", "error", "003, 004"),

  // Seed 001 (Signet) lives at the root
  api("/apply", "error", "001"),
  api("/register", "error", "001"),
  api("/score/{sid}", "error", "001"),
  api("/score/{sid}/public", "error", "001"),
  api("/score/{sid}/badge.svg", "error", "001 (badge, issue 15)"),
  api("/transactions", "error", "001"),
  api("/agents/{SID}/config", "error", "001"),
  api("/agents/{SID}/verify", "error", "001"),
  api("/agents/{SID}/verify/confirm", "error", "001"),
  api("/report/{sid}", "error", "001"),
  api("/me", "error", "001"),

  // Seed 002's SCIM 2.0
  api("/scim/v2/{path*}", "scim", "002"),
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compilePattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\{[A-Za-z]+\*?\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)(\*?)\}$/.exec(part);
      if (!m) return escape(part);
      if (m[2]) return ".+";
      return SEGMENT[m[1]!] ?? "[^/]+";
    })
    .join("");
  return new RegExp(`^${source}$`);
}

/** A concrete path the pattern matches (for tests and documentation). */
export function examplePath(pattern: string): string {
  return pattern.replace(/\{([A-Za-z]+)(\*?)\}/g, (_m, name: string, rest: string) => {
    if (name === "SID" || name === "sid") return "SID-0x0123456789abcdef";
    return rest ? "sample/path" : "sample";
  });
}

const COMPILED = PATH_TABLE.map((entry) => ({ entry, re: compilePattern(entry.pattern) }));

/** The entry a path matches (first in table order), or undefined for a dashboard page. */
export function matchPath(pathname: string): PathEntry | undefined {
  return COMPILED.find(({ re }) => re.test(pathname))?.entry;
}

/** Dashboard pages need a session; everything in the table does not. */
export function needsSession(pathname: string): boolean {
  return matchPath(pathname) === undefined;
}
