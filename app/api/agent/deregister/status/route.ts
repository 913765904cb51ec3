import { deregisterStatus as contract } from "@/lib/api/identity-sessions";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { sessionStatus } from "@/lib/identity/sessions";

export const GET = handle(contract, async ({ query }) => ({ status: 200, body: (await sessionStatus(db(), query.token, "deregister")) as never }));
