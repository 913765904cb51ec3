import { getScore as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { scoreResponse } from "@/lib/trust/present";
import { parseSid } from "@/lib/trust/requests";
import { findOwned, scoreOf } from "@/lib/trust/store";

export const GET = handle(contract, async ({ params, principal }) => {
  const found = await findOwned(db(), parseSid(params.sid), orgOf(principal));
  const { view, operator } = await scoreOf(db(), found);
  return { status: 200, body: scoreResponse(found, view, operator) };
});
