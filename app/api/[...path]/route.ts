import { notFound, notFoundV1 } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { noRoute, withoutBody } from "@/lib/http/no-route";

/** Unknown API paths answer in their family's error body, not with the dashboard's HTML 404 page. */
const v1 = handle(notFoundV1, noRoute);
const other = handle(notFound, noRoute);

function unknown(req: Request, ctx?: { params: Promise<unknown> }) {
  return (/^\/api\/v1(\/|$)/.test(new URL(req.url).pathname) ? v1 : other)(withoutBody(req), ctx);
}

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE };
