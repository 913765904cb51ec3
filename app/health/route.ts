import { health as contract } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { healthResponse } from "@/lib/system/health";

export const dynamic = "force-dynamic";

export const GET = handle(contract, healthResponse);
