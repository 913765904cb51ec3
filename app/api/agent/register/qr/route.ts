import { registerQr as contract } from "@/lib/api/identity-sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { sessionQr } from "@/lib/identity/sessions";

export const GET = handle(contract, async ({ query }) => ({ status: 200, body: await sessionQr(db(), query.token, "register", env().origin) }));
