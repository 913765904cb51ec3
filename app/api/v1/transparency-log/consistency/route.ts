import { tlogConsistency } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { consistency } from "@/lib/tlog/service";

export const GET = handle(tlogConsistency, async ({ query }) => ({ status: 200, body: await consistency(db(), query.first, query.second) }));
