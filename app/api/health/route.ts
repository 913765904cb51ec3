import { apiHealth as contract } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { healthResponse } from "@/lib/system/health";

export const dynamic = "force-dynamic";

/** The same answer as /health; a real route, so the /api catch-all's JSON 404 does not take it. */
export const GET = handle(contract, healthResponse);
