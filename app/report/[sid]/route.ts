import { getReport as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { reportResponse } from "@/lib/trust/present";
import { parseSid } from "@/lib/trust/requests";
import { findOwned, reportOf } from "@/lib/trust/store";

export const GET = handle(contract, async ({ params, principal }) => {
  const found = await findOwned(db(), parseSid(params.sid), orgOf(principal));
  return { status: 200, body: reportResponse(found, await reportOf(db(), found)) };
});
