import { getTrustHistory as contract } from "@/lib/api/trust-admin";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { trustHistoryOf } from "@/lib/trust/store";

export const GET = handle(contract, async ({ params, principal }) => ({ status: 200, body: await trustHistoryOf(db(), orgOf(principal), params.id) }));
