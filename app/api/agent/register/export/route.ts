import { registerExport as contract } from "@/lib/api/identity-sessions";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { exportAgentKey } from "@/lib/identity/sessions";

export const GET = handle(contract, async ({ query }) => ({ status: 200, body: await exportAgentKey(db(), query.token), headers: { "cache-control": "no-store" } }));
