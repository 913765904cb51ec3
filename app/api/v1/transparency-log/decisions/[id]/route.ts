import { tlogDecision } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { decisionProofs } from "@/lib/tlog/service";

export const GET = handle(tlogDecision, async ({ params, principal }) => ({ status: 200, body: await decisionProofs(db(), orgOf(principal), params.id) }));
