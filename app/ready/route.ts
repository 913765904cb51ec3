import { ready as contract } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { readinessResponse } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

export const GET = handle(contract, readinessResponse);
