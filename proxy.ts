import { NextResponse, type NextRequest } from "next/server";

/**
 * Anonymous visits to dashboard pages get a real redirect to sign-in before any rendering. This is
 * only a presence check of the session cookie; the dashboard layout validates the session itself.
 */
const PUBLIC_PREFIXES = ["/sign-in", "/sign-up", "/verify-email", "/dev/", "/api/", "/health", "/api/health", "/ready", "/metrics", "/openapi.json", "/_next/", "/favicon", "/manifest", "/icons/", "/sw.js", "/skill", "/.well-known/"];

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC_PREFIXES.some((p) => pathname === p.replace(/\/$/, "") || pathname.startsWith(p))) return NextResponse.next();
  if (/\.[a-z0-9]+$/i.test(pathname)) return NextResponse.next(); // static files
  const hasSession = req.cookies.has("authjs.session-token") || req.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url, 307);
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
