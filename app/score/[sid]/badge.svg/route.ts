import { getBadge as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { badgeSvg } from "@/lib/trust/badge";
import { parseSid } from "@/lib/trust/requests";
import { findBySid, scoreOf } from "@/lib/trust/store";

export const GET = handle(contract, async ({ params }) => {
  const found = await findBySid(db(), parseSid(params.sid));
  const { view } = await scoreOf(db(), found);
  return new Response(badgeSvg({ composite: view.composite, recommendation: view.recommendation }), {
    headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "public, max-age=300" },
  });
});
