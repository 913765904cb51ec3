import { NextResponse, type NextRequest } from "next/server";
import { familyErrorBody } from "@/lib/http/families";
import { matchPath, needsSession } from "@/lib/http/path-table";

/** Next decodes every path segment before routing and answers a plain-text error when one does not decode. */
function malformedPath(pathname: string): boolean {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

/** 400 for a path that is not valid percent-encoding: API paths in their family's body (lib/http/path-table.ts). */
function badPath(pathname: string): Response {
  const message = "Malformed percent-encoding in the request path";
  const entry = matchPath(pathname);
  if (entry?.kind === "api") {
    const family = entry.family ?? "error";
    const body = familyErrorBody(family, { status: 400, message, violations: [{ field: "path", path: ["path"], code: "invalid_encoding", message: "Failed to decode path" }] });
    const headers = { "content-type": family === "scim" ? "application/scim+json; charset=utf-8" : "application/json; charset=utf-8", "cache-control": "no-store" };
    return new Response(JSON.stringify(body), { status: 400, headers });
  }
  return new Response(`400: ${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * Anonymous visits to dashboard pages get a real redirect to sign-in before any rendering. This is
 * only a presence check of the session cookie; the dashboard layout validates the session itself.
 * API paths, signed-out pages and assets are an exact table (lib/http/path-table.ts), not prefixes.
 * A path that does not percent-decode is refused here, before Next's router fails on it.
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (malformedPath(pathname)) return badPath(pathname);
  if (!needsSession(pathname)) return NextResponse.next();
  const hasSession = req.cookies.has("authjs.session-token") || req.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url, 307);
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
