import { getCheck as contract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { getCheckWithArguments } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ params, principal }) => {
  return { status: 200, body: { check: await getCheckWithArguments(db(), orgOf(principal), params.id) } };
});
