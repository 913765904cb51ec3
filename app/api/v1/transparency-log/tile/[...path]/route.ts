import { tlogTile } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { tile } from "@/lib/tlog/service";

export const GET = handle(tlogTile, async ({ params }) => {
  const t = await tile(db(), Array.isArray(params.path) ? params.path.join("/") : params.path);
  return new Response(Buffer.from(t.bytes), {
    headers: { "content-type": "application/octet-stream", "cache-control": t.immutable ? "public, max-age=31536000, immutable" : "no-store" },
  });
});
