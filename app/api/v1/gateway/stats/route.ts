import { gatewayStats } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { checkStats } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(gatewayStats, async ({ query, principal }) => {
  return { status: 200, body: await checkStats(db(), orgOf(principal), new Date(Date.now() - query.hours * 3600_000)) };
});
