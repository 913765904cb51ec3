import { getPublicScore as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { publicResponse } from "@/lib/trust/present";
import { parseSid } from "@/lib/trust/requests";
import { findBySid, scoreOf } from "@/lib/trust/store";

export const GET = handle(contract, async ({ params }) => {
  const found = await findBySid(db(), parseSid(params.sid));
  const { view } = await scoreOf(db(), found);
  return { status: 200, body: publicResponse(found, view) };
});
