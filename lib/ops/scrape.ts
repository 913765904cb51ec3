import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/config/env";
import { ApiError } from "@/lib/http/errors";
import { renderMetrics } from "./metrics";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** With METRICS_TOKEN set, GET /metrics needs `Authorization: Bearer <token>`; 401 otherwise. */
export function authorizeScrape(req: Request): void {
  const token = env().METRICS_TOKEN;
  if (!token) return;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  // Compared as digests: constant time, and the token's length does not leak either.
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new ApiError(401, "A valid metrics token is required (Authorization: Bearer)", { headers: { "www-authenticate": 'Bearer realm="metrics"' } });
  }
}

export async function scrapeResponse(): Promise<Response> {
  const { body, contentType } = await renderMetrics();
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
