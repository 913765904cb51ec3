import { registerSession as contract } from "@/lib/api/identity-sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { createRegisterSession } from "@/lib/identity/sessions";

export const POST = handle(contract, async ({ body }) => ({ status: 200, body: await createRegisterSession(db(), body, env().origin) }));
