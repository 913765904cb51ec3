import { registerCallback as contract } from "@/lib/api/identity-sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { sessionCallback } from "@/lib/identity/sessions";

export const POST = handle(contract, async ({ query, body }) => ({ status: 200, body: (await sessionCallback(db(), query.token, "register", body, env().origin)) as never }));
