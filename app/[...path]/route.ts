import { notFoundRoot } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { noRoute, withoutBody } from "@/lib/http/no-route";
import { matchPath } from "@/lib/http/path-table";
import { API_FAMILIES, type ApiFamily } from "@/lib/http/families";

/**
 * Paths no page or route serves. A root API path (lib/http/path-table.ts: seed 001's /apply, /scim/v2,
 * /.well-known, …) answers a JSON 404 in its family's body, so API clients never get an HTML page;
 * anything else gets a plain not-found page.
 */
const byFamily = Object.fromEntries(API_FAMILIES.map((family) => [family, handle({ ...notFoundRoot, family }, noRoute)])) as Record<ApiFamily, ReturnType<typeof handle>>;

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>404: This page could not be found</title></head>' +
  '<body style="font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0"><main><h1>404</h1><p>This page could not be found. <a href="/">Go to the dashboard</a></p></main></body></html>';

function unknown(req: Request, ctx?: { params: Promise<unknown> }) {
  const entry = matchPath(new URL(req.url).pathname);
  if (entry?.kind === "api") return byFamily[entry.family ?? "error"](withoutBody(req), ctx);
  return Promise.resolve(new Response(NOT_FOUND_PAGE, { status: 404, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } }));
}

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE };
