import { NextResponse, type NextRequest } from "next/server";
import { needsSession } from "@/lib/http/path-table";

/**
 * Anonymous visits to dashboard pages get a real redirect to sign-in before any rendering. This is
 * only a presence check of the session cookie; the dashboard layout validates the session itself.
 * API paths, signed-out pages and assets are an exact table (lib/http/path-table.ts), not prefixes.
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (!needsSession(pathname)) return NextResponse.next();
  const hasSession = req.cookies.has("authjs.session-token") || req.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url, 307);
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
